-- Below a quarter, held by a Microsoft driver, or a generic kernel tag: nothing.
return {
  facts = {
    suspects = {
      { tag = "CtNt", pool = "nonpaged", bytes = 100000000, share = 0.2 },
      { tag = "NDnd", pool = "nonpaged", bytes = 3000000000, share = 0.6 },
      { tag = "File", pool = "nonpaged", bytes = 3000000000, share = 0.6 },
    },
    drivers = { { name = "ndis.sys", company = "Microsoft Corporation" } },
    attributions = { { tag = "NDnd", candidates = { { driver = 1 } } } },
  },
  expect = {},
}
