-- Seed case 2: npcap.sys 0.9988 leaks "Mdl "; 0.9989 fixed it.  A host on
-- 1.79 is past the fix: no finding.  On 0.9988 it is the known issue.
return {
  facts = {
    suspects = { { tag = "NPBL", pool = "paged", bytes = 400000000, share = 0.5 } },
    drivers = {
      { name = "npcap.sys", file_version_numeric = "1.79.0.0" },
    },
    attributions = { { tag = "NPBL", candidates = { { driver = 1 } } } },
  },
  expect = {},
}
