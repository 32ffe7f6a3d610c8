-- PT-0027: the fix is a release tag with no file version; another driver is not
-- PT-0027.
return {
  facts = {
    suspects = { { tag = "DOKA", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "DOKA", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
