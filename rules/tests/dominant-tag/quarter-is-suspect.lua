-- 30 % of paged pool, owner unknown: suspect, and the title says which pool.
return {
  facts = {
    suspects = { { tag = "Abc ", pool = "paged", bytes = 300000000, share = 0.3 } },
  },
  expect = { { level = "suspect", tag = "Abc", title = "of paged pool" } },
}
