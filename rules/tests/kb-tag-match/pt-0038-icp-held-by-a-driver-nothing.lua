-- PT-0038 names no driver and has no fix: when a driver file is found to hold
-- "Icp ", the tag is that driver's, and this rule does not cite PT-0038.
return {
  facts = {
    host = { os = "2022" },
    suspects = { { tag = "Icp", pool = "nonpaged", bytes = 3000000000, share = 0.6 } },
    drivers = { { name = "other.sys", file_version = "1.0.0.1", file_version_numeric = "1.0.0.1" } },
    attributions = { { tag = "Icp", candidates = { { driver = 1 } } } },
    searched = { "case/Windows/System32/drivers" },
  },
  expect = {},
}
