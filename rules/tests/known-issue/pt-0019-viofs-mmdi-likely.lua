-- PT-0019: viofs.sys holds Mmdi on a Windows 10 22H2 guest.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "Mmdi", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "viofs.sys", file_version = "100.94.104.24000", file_version_numeric = "100.94.104.24000" } },
    attributions = { { tag = "Mmdi", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Mmdi", kb = "PT-0019", driver = "viofs.sys" },
  },
}
