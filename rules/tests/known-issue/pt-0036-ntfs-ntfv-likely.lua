-- PT-0036: ntfs.sys holds NtfV on NT 4.0 (PT-0008 names ntfs.sys with NtFC only).
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NtfV", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ntfs.sys", file_version = "4.0.1381.4", file_version_numeric = "4.0.1381.4" } },
    attributions = { { tag = "NtfV", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NtfV", kb = "PT-0036", driver = "ntfs.sys" },
  },
}
