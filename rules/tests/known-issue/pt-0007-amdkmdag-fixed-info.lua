-- PT-0007 at its fix: amdkmdag.sys 32.0.21045.1000.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "Proc", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "amdkmdag.sys", file_version = "32.0.21045.1000", file_version_numeric = "32.0.21045.1000" } },
    attributions = { { tag = "Proc", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "Proc", kb = "PT-0007", driver = "amdkmdag.sys", title = "is at or past the fix" },
  },
}
