-- PT-0008 has no fix and one observed ntfs.sys version (10.0.26100.8875).
-- Another ntfs.sys build on 25H2 holding NtFC is not in its range: likely,
-- not known (the version is a test input, not a KB fact).
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "NtFC", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ntfs.sys", file_version = "10.0.26100.1000", file_version_numeric = "10.0.26100.1000" } },
    attributions = { { tag = "NtFC", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NtFC", kb = "PT-0008", driver = "ntfs.sys" },
  },
}
