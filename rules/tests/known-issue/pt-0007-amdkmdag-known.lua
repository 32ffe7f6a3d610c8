-- PT-0007: amdkmdag.sys 32.0.11002.41 strands Proc on Windows 11 25H2.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "Proc", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "amdkmdag.sys", file_version = "32.0.11002.41", file_version_numeric = "32.0.11002.41" } },
    attributions = { { tag = "Proc", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "Proc", kb = "PT-0007", driver = "amdkmdag.sys" },
  },
}
