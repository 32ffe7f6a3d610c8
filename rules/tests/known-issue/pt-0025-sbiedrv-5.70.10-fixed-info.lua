-- PT-0025 at its fix: SbieDrv.sys 5.70.10 (Sandboxie-Plus 1.15.10).
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "SbMx", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "SbieDrv.sys", file_version = "5.70.10", file_version_numeric = "5.70.10.0" } },
    attributions = { { tag = "SbMx", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "SbMx", kb = "PT-0025", driver = "SbieDrv.sys", title = "is at or past the fix" },
  },
}
