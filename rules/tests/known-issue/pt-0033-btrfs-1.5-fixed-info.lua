-- PT-0033 at its fix: btrfs.sys 1.5.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "MHBt", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "btrfs.sys", file_version = "1.5", file_version_numeric = "1.5.0.0" } },
    attributions = { { tag = "MHBt", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "MHBt", kb = "PT-0033", driver = "btrfs.sys", title = "is at or past the fix" },
  },
}
