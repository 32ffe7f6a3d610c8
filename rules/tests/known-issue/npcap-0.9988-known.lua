-- PT-0002 on the affected release: npcap.sys 0.9988 carries FileVersion
-- "0.9988" and numeric 5.0.9988.302.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "NPBL", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "0.9988", file_version_numeric = "5.0.9988.302" } },
    attributions = { { tag = "NPBL", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "known", tag = "NPBL", kb = "PT-0002", driver = "npcap.sys" } },
}
