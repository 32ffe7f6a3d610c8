-- Seed case 6: `amda` is the KMDF default tag of amdacpbus2.sys.
return {
  facts = {
    suspects = { { tag = "amda", pool = "nonpaged", bytes = 500000000, share = 0.12 } },
    driver_files = { "amdacpbus2.sys", "ctsnet.sys" },
  },
  expect = { { level = "suspect", tag = "amda", title = "amdacpbus2.sys" } },
}
