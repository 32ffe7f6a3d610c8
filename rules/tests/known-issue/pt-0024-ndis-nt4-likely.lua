-- PT-0024: ndis.sys on NT 4.0 holds a suspect tag (no tag is stated).
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NDnd", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ndis.sys", file_version = "4.0.1381.4", file_version_numeric = "4.0.1381.4" } },
    attributions = { { tag = "NDnd", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NDnd", kb = "PT-0024", driver = "ndis.sys" },
  },
}
