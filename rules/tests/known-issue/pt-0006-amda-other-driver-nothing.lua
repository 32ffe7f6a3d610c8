-- PT-0006 has no fixed version: amda held by another driver is not PT-0006.
return {
  facts = {
    suspects = { { tag = "amda", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "amdfoo.sys", file_version = "1.0.0.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "amda", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
