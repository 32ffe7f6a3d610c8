-- PT-0011 names no driver and no tag (the sources give none), so the rule
-- cannot match it: growth held by fwpkclnt.sys on 2008 R2 is not reported as it.
return {
  facts = {
    host = { os = "2008R2" },
    suspects = { { tag = "Nbuf", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "fwpkclnt.sys", file_version = "6.1.7601.17514", file_version_numeric = "6.1.7601.17514" } },
    attributions = { { tag = "Nbuf", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
