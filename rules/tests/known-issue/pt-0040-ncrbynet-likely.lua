-- PT-0040: Ncrbynet.sys on NT 4.0 holds a growing non-paged tag.  No tag and
-- no file version are stated, so any suspect tag the driver holds matches, as
-- likely.  (The tag and version are test inputs.)
return {
  facts = {
    host = { os = "4.0.1381" },
    suspects = { { tag = "NcrB", pool = "nonpaged", bytes = 90000000, share = 0.7 } },
    drivers = { { name = "Ncrbynet.sys", file_version = "4.0.0.1", file_version_numeric = "4.0.0.1" } },
    attributions = { { tag = "NcrB", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NcrB", kb = "PT-0040", driver = "Ncrbynet.sys" },
  },
}
