-- PT-0033: btrfs.sys 1.4 (FILEVERSION 1,4,0,0) holds MHBt on Windows 10.
return {
  facts = {
    host = { os = "10-22H2" },
    suspects = { { tag = "MHBt", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "btrfs.sys", file_version = "1.4", file_version_numeric = "1.4.0.0" } },
    attributions = { { tag = "MHBt", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "MHBt", kb = "PT-0033", driver = "btrfs.sys" },
  },
}
