-- PT-0017: SysmonDrv.sys holds SysR (no file version is stated: likely).
return {
  facts = {
    suspects = { { tag = "SysR", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "SysmonDrv.sys", file_version = "7.03", file_version_numeric = "7.3.0.0" } },
    attributions = { { tag = "SysR", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "SysR", kb = "PT-0017", driver = "SysmonDrv.sys" },
  },
}
