-- PT-0031 has no fixed version: Qc1A held by another driver is not PT-0031.
return {
  facts = {
    host = { os = "2022" },
    suspects = { { tag = "Qc1A", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "Qc1A", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
