-- PT-0003 on the affected release: npcap.sys 0.9995 carries FileVersion "0.9995"
-- and numeric 5.0.9995.709 (version.h at v0.9995).
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "0.9995", file_version_numeric = "5.0.9995.709" } },
    attributions = { { tag = "4321", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "4321", kb = "PT-0003", driver = "npcap.sys" },
  },
}
