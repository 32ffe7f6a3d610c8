-- PT-0010 on Windows XP: IoSe held by ntoskrnl.exe.  The fix is a hotfix (no
-- file version), so the match is likely.
return {
  facts = {
    host = { os = "5.1.2600" },
    suspects = { { tag = "IoSe", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ntoskrnl.exe", file_version = "5.1.2600.2180", file_version_numeric = "5.1.2600.2180" } },
    attributions = { { tag = "IoSe", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "IoSe", kb = "PT-0010", driver = "ntoskrnl.exe" },
  },
}
