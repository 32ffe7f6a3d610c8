-- PT-0034: Elxsli2.sys holds TMRL on NT 4.0 (its version v4-1.24 is not a
-- comparable version, so likely).
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "TMRL", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "Elxsli2.sys", file_version = "4.1.24", file_version_numeric = "4.1.24.0" } },
    attributions = { { tag = "TMRL", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "TMRL", kb = "PT-0034", driver = "Elxsli2.sys" },
  },
}
