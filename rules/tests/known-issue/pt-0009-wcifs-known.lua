-- PT-0009: wcifs.sys 10.0.26100.9278 holds WCsc on Windows 11 25H2.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "WCsc", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "wcifs.sys", file_version = "10.0.26100.9278", file_version_numeric = "10.0.26100.9278" } },
    attributions = { { tag = "WCsc", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "WCsc", kb = "PT-0009", driver = "wcifs.sys" },
  },
}
