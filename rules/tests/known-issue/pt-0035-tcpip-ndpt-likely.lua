-- PT-0035: tcpip.sys 5.0.2195.1 (before the fix 5.0.2195.2096) holds NDPt on
-- Windows 2000: no affected range is stated, so likely.
return {
  facts = {
    host = { os = "5.0.2195" },
    suspects = { { tag = "NDPt", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "tcpip.sys", file_version = "5.0.2195.1", file_version_numeric = "5.0.2195.1" } },
    attributions = { { tag = "NDPt", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NDPt", kb = "PT-0035", driver = "tcpip.sys" },
  },
}
