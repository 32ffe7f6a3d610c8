-- PT-0024 names ndis.sys and no tag, on Windows NT 4.0 (build 1381) only.
-- On Windows Server 2022 (build 20348) an ndis.sys that holds a growing tag
-- is not that leak: with no tag and another OS, nothing but the driver's
-- name would tie them.
return {
  facts = {
    host = { os = "2022" },
    suspects = { { tag = "NDnd", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ndis.sys", file_version = "10.0.20348.1", file_version_numeric = "10.0.20348.1" } },
    attributions = { { tag = "NDnd", candidates = { { driver = 1 } } } },
  },
  expect = {},
}
