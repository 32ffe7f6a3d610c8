-- Driver folders were searched and no file holds 4321: still cite PT-0003,
-- one level lower.
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 2000000000, share = 0.97 } },
    searched = { "case/Windows/System32/drivers" },
  },
  expect = { { level = "suspect", tag = "4321", kb = "PT-0003" } },
}
