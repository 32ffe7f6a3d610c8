-- The affected driver version on Server 2019: the KB lists only build 9600,
-- so the match is `likely`.
return {
  facts = {
    host = { os = "2019" },
    suspects = { { tag = "MFeS", pool = "nonpaged", bytes = 4000000000, share = 0.7 } },
    drivers = { { name = "mfeavfk.sys", file_version_numeric = "18.10.0.189" } },
    attributions = { { tag = "MFeS", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "likely", kb = "PT-0001" } },
}
