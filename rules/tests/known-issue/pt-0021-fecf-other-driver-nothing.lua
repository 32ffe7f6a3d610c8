-- PT-0021 has no fixed version: Fecf held by another driver is not PT-0021.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "Fecf", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "Fecf", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
