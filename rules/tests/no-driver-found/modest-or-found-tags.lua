-- 12 %: info.  A tag that a driver holds, or a small one: nothing.
return {
  facts = {
    suspects = {
      { tag = "VoSm", pool = "nonpaged", bytes = 120000000, share = 0.12 },
      { tag = "CtNt", pool = "nonpaged", bytes = 900000000, share = 0.4 },
      { tag = "Tiny", pool = "nonpaged", bytes = 1000, share = 0.001 },
    },
    drivers = { { name = "ctsnet.sys" } },
    attributions = { { tag = "CtNt", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "info", tag = "VoSm" } },
}
