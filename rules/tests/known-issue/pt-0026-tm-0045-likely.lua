-- PT-0026: tm.sys holds 0045 on Windows 11 (low confidence).
return {
  facts = {
    host = { os = "11-24H2" },
    suspects = { { tag = "0045", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "tm.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "0045", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "0045", kb = "PT-0026", driver = "tm.sys" },
  },
}
