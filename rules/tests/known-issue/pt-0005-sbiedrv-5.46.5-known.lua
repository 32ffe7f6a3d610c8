-- PT-0005: SbieDrv.sys 5.46.5 (Sandboxie-Plus 0.6.0) holds Strg.
return {
  facts = {
    suspects = { { tag = "Strg", pool = "paged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "SbieDrv.sys", file_version = "5.46.5", file_version_numeric = "5.46.5.0" } },
    attributions = { { tag = "Strg", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "Strg", kb = "PT-0005", driver = "SbieDrv.sys" },
  },
}
