-- Same tags and driver, but a file version the KB does not list as affected
-- and no fix is known: the match is `likely`, not `known`.
return {
  facts = {
    host = { os = "2012R2" },
    suspects = { { tag = "MFeS", pool = "nonpaged", bytes = 4000000000, share = 0.7 } },
    drivers = { { name = "mfeavfk.sys", file_version = "SYSCORE.18.11.0.7",
                  file_version_numeric = "18.11.0.7", company = "McAfee, LLC" } },
    attributions = { { tag = "MFeS", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "likely", tag = "MFeS", kb = "PT-0001", driver = "mfeavfk.sys" } },
}
