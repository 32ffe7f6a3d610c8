-- A driver that holds a suspect tag and whose signature does not verify.
return {
  facts = {
    suspects = { { tag = "CtNt", pool = "nonpaged", bytes = 900000000, share = 0.2 } },
    drivers = { { name = "ctsnet.sys", signer = { status = "invalid", subject = "Contoso Ltd." } } },
    attributions = { { tag = "CtNt", candidates = { { driver = 1, confidence = 0.97 } } } },
  },
  expect = { { level = "suspect", tag = "CtNt", driver = "ctsnet.sys", title = "invalid" } },
}
