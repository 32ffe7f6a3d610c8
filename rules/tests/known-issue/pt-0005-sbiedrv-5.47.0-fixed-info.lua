-- PT-0005 at its fix: SbieDrv.sys 5.47.0 (Sandboxie-Plus 0.6.5).
return {
  facts = {
    suspects = { { tag = "Strg", pool = "paged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "SbieDrv.sys", file_version = "5.47.0", file_version_numeric = "5.47.0.0" } },
    attributions = { { tag = "Strg", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "info", tag = "Strg", kb = "PT-0005", driver = "SbieDrv.sys", title = "is at or past the fix" },
  },
}
