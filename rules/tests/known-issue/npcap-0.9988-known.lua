-- Seed case 2 on the affected version.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "NPBL", pool = "paged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "0.9988", file_version_numeric = "0.9988.0.0" } },
    attributions = { { tag = "NPBL", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "known", tag = "NPBL", kb = "PT-0002", driver = "npcap.sys" } },
}
