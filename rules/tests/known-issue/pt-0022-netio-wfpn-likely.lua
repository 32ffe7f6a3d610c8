-- PT-0022: netio.sys holds Wfpn on Windows 10 1903 (PT-0023 names
-- netio.sys with no tag; the entry that lists Wfpn is the one named).
return {
  facts = {
    host = { os = "10.0.18362" },
    suspects = { { tag = "Wfpn", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "netio.sys", file_version = "10.0.18362.267", file_version_numeric = "10.0.18362.267" } },
    attributions = { { tag = "Wfpn", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Wfpn", kb = "PT-0022", driver = "netio.sys" },
  },
}
