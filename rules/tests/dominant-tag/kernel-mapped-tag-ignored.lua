-- !poolused maps CM31 to nt!cm: the kernel's configuration manager, not a
-- third-party driver, even with 70 % of paged pool.
return {
  facts = {
    suspects = { { tag = "CM31", pool = "paged", bytes = 91705344, share = 0.7,
                   mapped_driver = "nt!cm" } },
  },
  expect = {},
}
