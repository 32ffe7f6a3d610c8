-- PT-0020: NpSN held by npcap.sys (Npcap's own NPF_SRCNB_POOL_TAG) is not PT-0020.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "NpSN", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version = "1.80", file_version_numeric = "5.1.80.1" } },
    attributions = { { tag = "NpSN", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
