-- PT-0014 has no fix: tcpip.sys holding "acrl" (as two comments spell it) is
-- likely, not known, because no tcpip.sys version is stated.
return {
  facts = {
    host = { os = "11-24H2" },
    suspects = { { tag = "acrl", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "tcpip.sys", file_version = "10.0.26100.1", file_version_numeric = "10.0.26100.1" } },
    attributions = { { tag = "acrl", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "acrl", kb = "PT-0014", driver = "tcpip.sys" },
  },
}
