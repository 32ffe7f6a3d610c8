-- PT-0024 names ndis.sys and no tag.  When the host's OS is not known (no
-- kernel in the case, no --os), ndis.sys holding a growing tag still points
-- at it, as likely.
return {
  facts = {
    suspects = { { tag = "NDnd", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ndis.sys", file_version = "4.0.1381.4", file_version_numeric = "4.0.1381.4" } },
    attributions = { { tag = "NDnd", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NDnd", kb = "PT-0024", driver = "ndis.sys" },
  },
}
