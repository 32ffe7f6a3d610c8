-- Proc grows, and so does a third-party driver's own tag: that driver is
-- named.  No KB driver is present, so `suspect`.
return {
  facts = {
    suspects = {
      { tag = "Proc", pool = "nonpaged", bytes = 300000000, share = 0.1,
        growth_bytes_per_hour = 2000000, steady = true },
      { tag = "CtNt", pool = "nonpaged", bytes = 100000000, share = 0.05,
        growth_bytes_per_hour = 1000000 },
    },
    drivers = { { name = "ctsnet.sys" } },
    attributions = { { tag = "CtNt", candidates = { { driver = 1 } } } },
  },
  expect = { { level = "suspect", tag = "Proc", title = "ctsnet.sys (its tag CtNt grows too)" } },
}
