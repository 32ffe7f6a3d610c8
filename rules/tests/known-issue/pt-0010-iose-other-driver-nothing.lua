-- PT-0010 has no fixed version: IoSe held by another driver is not PT-0010.
return {
  facts = {
    host = { os = "5.1.2600" },
    suspects = { { tag = "IoSe", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0.0.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "IoSe", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
