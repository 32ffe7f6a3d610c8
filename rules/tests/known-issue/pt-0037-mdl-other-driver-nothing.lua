-- PT-0037: the fix is a dated hotfix; "Mdl " held by another driver is not PT-0037.
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "Mdl ", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "Mdl ", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
