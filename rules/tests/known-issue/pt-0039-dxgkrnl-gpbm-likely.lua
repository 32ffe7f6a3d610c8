-- PT-0039: dxgkrnl.sys holds Gpbm, which dominates paged pool.  No version
-- range is stated, so the match is likely, not known (the version is a test
-- input).
return {
  facts = {
    suspects = { { tag = "Gpbm", pool = "paged", bytes = 2680000000, share = 0.81 } },
    drivers = { { name = "dxgkrnl.sys", file_version = "10.0.26100.1 (WinBuild.160101.0800)",
                  file_version_numeric = "10.0.26100.1" } },
    attributions = { { tag = "Gpbm", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Gpbm", kb = "PT-0039", driver = "dxgkrnl.sys" },
  },
}
