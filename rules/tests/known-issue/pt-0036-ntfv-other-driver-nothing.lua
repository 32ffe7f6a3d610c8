-- PT-0036: the fix is a dated hotfix; NtfV held by another driver is not PT-0036.
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NtfV", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "NtfV", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
