-- PT-0004 at its fix: Npcap 1.78 (5.1.78.1018).
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "NpCD", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "1.78", file_version_numeric = "5.1.78.1018" } },
    attributions = { { tag = "NpCD", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "NpCD", kb = "PT-0004", driver = "npcap.sys", title = "is at or past the fix" },
  },
}
