-- PT-0004 on Npcap 1.77 (5.1.77.926), NpCD growing, Windows 10.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "NpCD", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "1.77", file_version_numeric = "5.1.77.926" } },
    attributions = { { tag = "NpCD", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "NpCD", kb = "PT-0004", driver = "npcap.sys" },
  },
}
