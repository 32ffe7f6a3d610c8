-- PT-0035 at its fix: tcpip.sys 5.0.2195.2096.
return {
  facts = {
    host = { os = "5.0.2195" },
    suspects = { { tag = "NDPt", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "tcpip.sys", file_version = "5.0.2195.2096", file_version_numeric = "5.0.2195.2096" } },
    attributions = { { tag = "NDPt", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "NDPt", kb = "PT-0035", driver = "tcpip.sys", title = "is at or past the fix" },
  },
}
