-- PT-0028: EbpfCore.sys holds ebpf.
return {
  facts = {
    suspects = { { tag = "ebpf", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "EbpfCore.sys", file_version = "0.6.0", file_version_numeric = "0.6.0.0" } },
    attributions = { { tag = "ebpf", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "ebpf", kb = "PT-0028", driver = "EbpfCore.sys" },
  },
}
