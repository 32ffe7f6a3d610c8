-- PT-0025: SbieDrv.sys 5.70.9 (Sandboxie-Plus 1.15.9) on Windows 10 22H2.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "SbMx", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "SbieDrv.sys", file_version = "5.70.9", file_version_numeric = "5.70.9.0" } },
    attributions = { { tag = "SbMx", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "SbMx", kb = "PT-0025", driver = "SbieDrv.sys" },
  },
}
