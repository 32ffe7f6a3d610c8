-- PT-0012 has no fixed version: a tag held by another driver is not PT-0012.
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NbtT", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "4.0.1381.7", file_version_numeric = "4.0.1381.7" } },
    attributions = { { tag = "NbtT", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
