-- A small 4321 and a large tag no KB entry lists: nothing.
return {
  facts = {
    suspects = {
      { tag = "4321", pool = "nonpaged", bytes = 1000000, share = 0.01 },
      { tag = "VoSm", pool = "nonpaged", bytes = 2000000000, share = 0.9 },
    },
  },
  expect = {},
}
