-- PT-0040 has no tag and no fix: the same capture with the tag held by
-- another driver is not PT-0040.
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NcrB", pool = "nonpaged", bytes = 90000000, share = 0.7 } },
    drivers = { { name = "other.sys", file_version = "4.0.0.1", file_version_numeric = "4.0.0.1" } },
    attributions = { { tag = "NcrB", candidates = { { driver = 1 } } } },
  },
  expect = {},
}
