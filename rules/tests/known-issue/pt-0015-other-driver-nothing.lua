-- PT-0015 has no fixed version: a tag held by another driver is not PT-0015.
return {
  facts = {
    suspects = { { tag = "Ebpf", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "0.5.0", file_version_numeric = "0.5.0.0" } },
    attributions = { { tag = "Ebpf", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
