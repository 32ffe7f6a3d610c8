-- PT-0008: ntfs.sys 10.0.26100.8875 holds NtFC on Windows 11 25H2 (26200).
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "NtFC", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ntfs.sys", file_version = "10.0.26100.8875 (WinBuild.160101.0800)", file_version_numeric = "10.0.26100.8875" } },
    attributions = { { tag = "NtFC", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "NtFC", kb = "PT-0008", driver = "ntfs.sys" },
  },
}
