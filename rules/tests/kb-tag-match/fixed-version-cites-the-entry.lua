-- npcap.sys 1.79 holds 4321: past PT-0003's fix (0.9996).  The finding
-- says the version is outside every affected range and still cites it.
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version_numeric = "1.79.0.0" } },
    attributions = { { tag = "4321", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "info", tag = "4321", kb = "PT-0003", driver = "npcap.sys",
               title = "outside every affected range" } },
}
