-- PT-0003 when the driver has no FileVersion string: the numeric 5.0.9995.709
-- maps to release 0.9995 under the Npcap scheme.
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version_numeric = "5.0.9995.709" } },
    attributions = { { tag = "4321", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "4321", kb = "PT-0003", driver = "npcap.sys" },
  },
}
