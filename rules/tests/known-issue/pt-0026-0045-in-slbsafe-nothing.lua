-- PT-0026 has no fix: 0045 held by SLBSafe.sys (another findstr hit) is not PT-0026.
return {
  facts = {
    host = { os = "11-24H2" },
    suspects = { { tag = "0045", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "SLBSafe.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "0045", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
