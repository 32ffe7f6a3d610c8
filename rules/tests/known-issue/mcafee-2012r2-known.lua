-- The seed incident: MFeS leads non-paged pool, mfeavfk.sys 18.10.0.189 holds
-- it on Server 2012 R2.  One finding names PT-0001 and groups MFeS and MFe0.
return {
  facts = {
    host = { name = "srv01", os = "6.3.9600.19000" },
    captures = { {
      nonpaged_bytes = 6576140288, paged_bytes = 536690688,
      rows = {
        { tag = "MFeS", pool = "nonpaged", bytes = 5053046496 },
        { tag = "MFe0", pool = "nonpaged", bytes = 323956448 },
        { tag = "NFeS", pool = "nonpaged", bytes = 24122240 },
        { tag = "File", pool = "nonpaged", bytes = 16443248 },
      },
    } },
    drivers = { {
      name = "mfeavfk.sys", file_version = "SYSCORE.18.10.0.189",
      file_version_numeric = "18.10.0.189", company = "McAfee, LLC", product = "SYSCORE",
      description = "Anti-Virus File System Filter Driver",
    } },
    attributions = {
      { tag = "MFeS", candidates = { { driver = 1, confidence = 0.97 } } },
      { tag = "MFe0", candidates = { { driver = 1, confidence = 0.97 } } },
    },
  },
  expect = {
    { level = "known", tag = "MFeS", kb = "PT-0001", driver = "mfeavfk.sys" },
  },
}
