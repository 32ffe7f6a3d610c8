-- PT-0018: netkvm.sys holds "Mdl " on a Server 2008 R2 guest.
return {
  facts = {
    host = { os = "2008R2" },
    suspects = { { tag = "Mdl ", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "netkvm.sys", file_version = "61.74.104.12000", file_version_numeric = "61.74.104.12000" } },
    attributions = { { tag = "Mdl ", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Mdl ", kb = "PT-0018", driver = "netkvm.sys" },
  },
}
