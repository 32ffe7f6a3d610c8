-- PT-0002: npcap.sys 0.9988 leaks NPBL; 0.9989 fixed it.  A host on 1.79 is
-- past the fix: not the known issue, and an info finding says why.
return {
  facts = {
    suspects = { { tag = "NPBL", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = {
      { name = "npcap.sys", file_version = "1.79", file_version_numeric = "5.1.79.1018" },
    },
    attributions = { { tag = "NPBL", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "info", tag = "NPBL", kb = "PT-0002", driver = "npcap.sys",
               title = "is at or past the fix" } },
}
