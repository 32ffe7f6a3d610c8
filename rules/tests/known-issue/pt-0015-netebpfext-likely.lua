-- PT-0015: netebpfext.sys holds a suspect tag (none is stated by the sources):
-- no version is stated either, so likely.
return {
  facts = {
    suspects = { { tag = "Ebpf", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "netebpfext.sys", file_version = "0.5.0", file_version_numeric = "0.5.0.0" } },
    attributions = { { tag = "Ebpf", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Ebpf", kb = "PT-0015", driver = "netebpfext.sys" },
  },
}
