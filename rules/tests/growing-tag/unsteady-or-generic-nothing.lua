-- Growth that is not steady, and a generic tag's growth (another rule's job).
return {
  facts = {
    suspects = {
      { tag = "CtNt", pool = "nonpaged", bytes = 900000000, share = 0.2,
        growth_bytes_per_hour = 50000000, steady = false },
      { tag = "Proc", pool = "nonpaged", bytes = 900000000, share = 0.2,
        growth_bytes_per_hour = 50000000, steady = true },
    },
  },
  expect = {},
}
