-- PT-0019: the fix is a commit, not a file version; Mmdi held by another driver
-- is not PT-0019.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "Mmdi", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "Mmdi", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
