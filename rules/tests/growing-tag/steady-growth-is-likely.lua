-- A third-party tag that the series calls steady.
return {
  facts = {
    suspects = { { tag = "CtNt", pool = "nonpaged", bytes = 900000000, share = 0.2,
                   growth_bytes_per_hour = 50000000, steady = true } },
    drivers = { { name = "ctsnet.sys", company = "Contoso Ltd." } },
    attributions = { { tag = "CtNt", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "likely", tag = "CtNt", driver = "ctsnet.sys", title = "grows steadily" } },
}
