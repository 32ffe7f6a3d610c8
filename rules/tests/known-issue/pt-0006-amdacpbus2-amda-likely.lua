-- PT-0006: amdacpbus2.sys holds amda.  No source states a file version, so the
-- match is likely, never known.
return {
  facts = {
    suspects = { { tag = "amda", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "amdacpbus2.sys", file_version = "1.0.0.42", file_version_numeric = "1.0.0.42" } },
    attributions = { { tag = "amda", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "amda", kb = "PT-0006", driver = "amdacpbus2.sys" },
  },
}
