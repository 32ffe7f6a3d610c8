-- PT-0009 has no fixed version: another wcifs.sys version is likely, not known.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "WCsc", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "wcifs.sys", file_version = "10.0.26100.9999", file_version_numeric = "10.0.26100.9999" } },
    attributions = { { tag = "WCsc", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "WCsc", kb = "PT-0009", driver = "wcifs.sys" },
  },
}
