-- PT-0028: the fix is a pull request with no file version; another driver is
-- not PT-0028.
return {
  facts = {
    suspects = { { tag = "ebpf", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "ebpf", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
