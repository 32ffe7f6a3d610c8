-- A poolmon screen alone (no driver folder): tag 4321 holds 97 % of
-- non-paged pool.  PT-0003 lists it, so the finding cites PT-0003.
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 2000000000, share = 0.97 } },
  },
  expect = { { level = "likely", tag = "4321", kb = "PT-0003", title = "known issue PT-0003" } },
}
