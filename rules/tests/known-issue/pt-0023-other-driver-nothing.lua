-- PT-0023 has no fixed version: another driver is not PT-0023.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "NeIO", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "NeIO", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
