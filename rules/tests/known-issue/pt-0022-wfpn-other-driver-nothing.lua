-- PT-0022 has no fixed version: Wfpn held by another driver is not PT-0022.
return {
  facts = {
    host = { os = "10.0.18362" },
    suspects = { { tag = "Wfpn", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "Wfpn", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
