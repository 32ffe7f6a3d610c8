-- A third-party tag with 60 % of non-paged pool.
return {
  facts = {
    suspects = { { tag = "CtNt", pool = "nonpaged", bytes = 3000000000, share = 0.6 } },
    drivers = { { name = "ctsnet.sys", company = "Contoso Ltd." } },
    attributions = { { tag = "CtNt", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "likely", tag = "CtNt", driver = "ctsnet.sys", title = "60%" } },
}
