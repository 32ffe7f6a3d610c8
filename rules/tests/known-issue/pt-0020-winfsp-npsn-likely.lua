-- PT-0020: winfsp-x64.sys holds NpSN on Windows 11 25H2 (low confidence).
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "NpSN", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "winfsp-x64.sys", file_version = "2.1.25156", file_version_numeric = "2.1.25156.0" } },
    attributions = { { tag = "NpSN", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NpSN", kb = "PT-0020", driver = "winfsp-x64.sys" },
  },
}
