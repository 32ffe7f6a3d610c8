-- !poolused maps CM31 to nt!cm: the kernel's tag; ntoskrnl.exe is not in
-- the driver folders, so its absence there is no finding.
return {
  facts = {
    suspects = { { tag = "CM31", pool = "paged", bytes = 91705344, share = 0.7,
                   mapped_driver = "nt!cm" } },
  },
  expect = {},
}
