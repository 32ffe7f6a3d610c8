-- PT-0021: netio.sys holds Fecf on Windows 11.  PT-0023 names netio.sys with no
-- tag; the entry that lists Fecf is the one named.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "Fecf", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "netio.sys", file_version = "10.0.26100.1", file_version_numeric = "10.0.26100.1" } },
    attributions = { { tag = "Fecf", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Fecf", kb = "PT-0021", driver = "netio.sys" },
  },
}
