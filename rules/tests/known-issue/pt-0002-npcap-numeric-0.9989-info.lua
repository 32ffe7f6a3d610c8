-- PT-0002 at its fix, seen only through the numeric version: 5.0.9989.316 is
-- Npcap release 0.9989 (scheme 5.{1}.{2}.*), so the info finding says it is past the fix.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "NPBL", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version_numeric = "5.0.9989.316" } },
    attributions = { { tag = "NPBL", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "NPBL", kb = "PT-0002", driver = "npcap.sys", title = "is at or past the fix" },
  },
}
