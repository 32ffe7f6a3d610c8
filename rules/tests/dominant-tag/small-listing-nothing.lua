-- A cut-off !poolused listing with no totals: 1,600 bytes are 100 % of the
-- non-paged rows shown, which says nothing about a leak.
return {
  facts = {
    suspects = { { tag = "Ntff", pool = "nonpaged", bytes = 1600, share = 1.0 } },
  },
  expect = {},
}
