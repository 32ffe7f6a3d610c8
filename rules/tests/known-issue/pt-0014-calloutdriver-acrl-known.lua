-- PT-0014: ProtonVPN CalloutDriver.sys 1.0.5.0 holds Acrl on Windows Server 2025.
return {
  facts = {
    host = { os = "2025" },
    suspects = { { tag = "Acrl", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "CalloutDriver.sys", file_version = "1.0.5.0", file_version_numeric = "1.0.5.0" } },
    attributions = { { tag = "Acrl", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "Acrl", kb = "PT-0014", driver = "CalloutDriver.sys" },
  },
}
