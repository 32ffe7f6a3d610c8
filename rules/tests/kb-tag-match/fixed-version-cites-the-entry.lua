-- npcap.sys 0.9996 (FileVersion string "0.9996", numeric 5.0.9996.806, the
-- real version resource of Npcap 0.9996) holds 4321: at PT-0003's fix.  The
-- finding says so in the entry's version space and still cites the entry.
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "0.9996", file_version_numeric = "5.0.9996.806" } },
    attributions = { { tag = "4321", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "info", tag = "4321", kb = "PT-0003", driver = "npcap.sys",
               title = "npcap.sys FileVersion string 0.9996 is outside every affected range of PT-0003" } },
}
