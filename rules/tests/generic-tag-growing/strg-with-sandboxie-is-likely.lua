-- Seed case 5: Strg (a generic Rtl string tag) grows and SbieDrv.sys is on
-- the host; the KB entry that lists Strg names it, so `likely`, with the KB.
return {
  facts = {
    suspects = { { tag = "Strg", pool = "paged", bytes = 800000000, share = 0.3,
                   growth_bytes_per_hour = 30000000, steady = true } },
    driver_files = { "SbieDrv.sys", "ctsnet.sys" },
  },
  expect = { { level = "likely", tag = "Strg", kb = "PT-0005", title = "SbieDrv.sys (PT-0005, present)" } },
}
