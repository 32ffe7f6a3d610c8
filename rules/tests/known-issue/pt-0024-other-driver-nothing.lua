-- PT-0024: the fix is a hotfix with no file version; another driver is not PT-0024.
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NDnd", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "NDnd", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
