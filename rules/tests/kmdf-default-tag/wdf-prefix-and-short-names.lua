-- A leading "WDF" is skipped (WdfXyzw01.sys gives Xyzw); a name shorter
-- than four characters gives FxDr, which this rule leaves alone because
-- every such driver shares it.  A tag of 30 % or more is `likely`.
return {
  facts = {
    suspects = {
      { tag = "Xyzw", pool = "paged", bytes = 500000000, share = 0.3 },
      { tag = "FxDr", pool = "nonpaged", bytes = 500000000, share = 0.3 },
    },
    driver_files = { "WdfXyzw01.sys", "ab.sys", "other.sys" },
  },
  expect = { { level = "likely", tag = "Xyzw", title = "WdfXyzw01.sys" } },
}
