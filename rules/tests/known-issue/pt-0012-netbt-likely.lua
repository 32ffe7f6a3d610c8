-- PT-0012: netbt.sys on NT 4.0.  No tag is stated, so any suspect tag netbt.sys
-- holds matches; the fix is a hotfix, so likely.
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NbtT", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "netbt.sys", file_version = "4.0.1381.7", file_version_numeric = "4.0.1381.7" } },
    attributions = { { tag = "NbtT", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NbtT", kb = "PT-0012", driver = "netbt.sys" },
  },
}
