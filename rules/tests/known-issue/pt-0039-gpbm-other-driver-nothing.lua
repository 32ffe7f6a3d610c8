-- PT-0039 has no fix and no range: Gpbm held by a driver other than
-- dxgkrnl.sys is not that issue.
return {
  facts = {
    suspects = { { tag = "Gpbm", pool = "paged", bytes = 2680000000, share = 0.81 } },
    drivers = { { name = "other.sys", file_version = "1.0.0.1", file_version_numeric = "1.0.0.1" } },
    attributions = { { tag = "Gpbm", candidates = { { driver = 1 } } } },
  },
  expect = {},
}
