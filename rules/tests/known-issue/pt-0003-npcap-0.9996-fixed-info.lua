-- PT-0003 at its fix: npcap.sys 0.9996 (5.0.9996.806) does not match; an info
-- finding says it is at or past the fix.
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "0.9996", file_version_numeric = "5.0.9996.806" } },
    attributions = { { tag = "4321", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "4321", kb = "PT-0003", driver = "npcap.sys", title = "is at or past the fix" },
  },
}
