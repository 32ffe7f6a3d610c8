-- 12 % of a tiny listing (2 MB): not worth a finding.
return {
  facts = {
    suspects = { { tag = "AmlC", pool = "nonpaged", bytes = 2031616, share = 0.12 } },
  },
  expect = {},
}
