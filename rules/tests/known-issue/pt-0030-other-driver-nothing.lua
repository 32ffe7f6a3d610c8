-- PT-0030 has no fix (workaround only): another driver is not PT-0030.
return {
  facts = {
    host = { os = "10-1607" },
    suspects = { { tag = "NDUx", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "NDUx", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
