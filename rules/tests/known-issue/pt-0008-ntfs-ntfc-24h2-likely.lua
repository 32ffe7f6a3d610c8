-- PT-0008 has no fix; no source reports build 26100, so on 24H2 the match is
-- likely, not known.
return {
  facts = {
    host = { os = "11-24H2" },
    suspects = { { tag = "NtFC", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ntfs.sys", file_version = "10.0.26100.8875", file_version_numeric = "10.0.26100.8875" } },
    attributions = { { tag = "NtFC", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NtFC", kb = "PT-0008", driver = "ntfs.sys" },
  },
}
