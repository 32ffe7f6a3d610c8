-- No embedded signature: info (it may be catalog-signed).  Signed: nothing.
-- A weak attribution (0.35: the tag only somewhere in the file) is not blamed.
return {
  facts = {
    suspects = {
      { tag = "CtNt", pool = "nonpaged", bytes = 900000000, share = 0.2 },
      { tag = "MFeS", pool = "nonpaged", bytes = 900000000, share = 0.2 },
    },
    drivers = {
      { name = "ctsnet.sys", signer = { status = "unsigned" } },
      { name = "mfeavfk.sys", signer = { status = "signed", subject = "McAfee, Inc." } },
      { name = "junk.sys", signer = { status = "invalid" } },
    },
    attributions = {
      { tag = "CtNt", candidates = { { driver = 1, confidence = 0.9 }, { driver = 3, confidence = 0.35, best = "file" } } },
      { tag = "MFeS", candidates = { { driver = 2, confidence = 0.97 } } },
    },
  },
  expect = { { level = "info", tag = "CtNt", driver = "ctsnet.sys", title = "missing" } },
}
