-- PT-0027: dokan1.sys holds DOKA.
return {
  facts = {
    suspects = { { tag = "DOKA", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "dokan1.sys", file_version = "1.0.0.5000", file_version_numeric = "1.0.0.5000" } },
    attributions = { { tag = "DOKA", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "DOKA", kb = "PT-0027", driver = "dokan1.sys" },
  },
}
