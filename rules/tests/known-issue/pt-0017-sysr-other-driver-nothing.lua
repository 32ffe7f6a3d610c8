-- PT-0017 has no fixed version: SysR held by another driver is not PT-0017.
return {
  facts = {
    suspects = { { tag = "SysR", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "SysR", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
