-- MFeS held by a driver no KB entry names: not this rule's business.
return {
  facts = {
    host = { os = "2012R2" },
    suspects = { { tag = "MFeS", pool = "nonpaged", bytes = 4000000000, share = 0.7 } },
    drivers = { { name = "other.sys", file_version_numeric = "18.10.0.189" } },
    attributions = { { tag = "MFeS", candidates = { { driver = 1 } } } },
  },
  expect = {},
}
