-- A large generic tag that does not grow is not a finding.
return {
  facts = {
    suspects = { { tag = "Strg", pool = "paged", bytes = 300000000, share = 0.4 } },
  },
  expect = {},
}
