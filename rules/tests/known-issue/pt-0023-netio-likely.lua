-- PT-0023: netio.sys holds a suspect tag on Windows 11 25H2 (no tag is stated).
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "NeIO", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "netio.sys", file_version = "10.0.26100.7462", file_version_numeric = "10.0.26100.7462" } },
    attributions = { { tag = "NeIO", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NeIO", kb = "PT-0023", driver = "netio.sys" },
  },
}
