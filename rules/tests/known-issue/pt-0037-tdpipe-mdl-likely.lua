-- PT-0037: Tdpipe.sys holds "Mdl " on NT 4.0 Terminal Server.
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "Mdl ", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "Tdpipe.sys", file_version = "4.0.1381.6", file_version_numeric = "4.0.1381.6" } },
    attributions = { { tag = "Mdl ", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Mdl ", kb = "PT-0037", driver = "Tdpipe.sys" },
  },
}
