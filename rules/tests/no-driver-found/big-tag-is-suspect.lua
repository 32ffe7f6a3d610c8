-- A tag with 30 % of non-paged pool that no scanned file holds.
return {
  facts = {
    suspects = { { tag = "VoSm", pool = "nonpaged", bytes = 2000000000, share = 0.3 } },
    searched = { "Windows/System32/drivers" },
  },
  expect = { { level = "suspect", tag = "VoSm", title = "No driver found for VoSm" } },
}
