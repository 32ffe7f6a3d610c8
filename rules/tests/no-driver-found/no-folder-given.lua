-- No driver folder at all: the finding says so instead of naming a folder.
return {
  facts = {
    suspects = { { tag = "VoSm", pool = "nonpaged", bytes = 2000000000, share = 0.3 } },
  },
  expect = { { level = "suspect", tag = "VoSm" } },
}
