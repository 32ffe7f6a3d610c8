-- PT-0031: msquic.sys holds Qc1A on Windows Server 2022.
return {
  facts = {
    host = { os = "2022" },
    suspects = { { tag = "Qc1A", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "msquic.sys", file_version = "10.0.20348.1", file_version_numeric = "10.0.20348.1" } },
    attributions = { { tag = "Qc1A", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Qc1A", kb = "PT-0031", driver = "msquic.sys" },
  },
}
