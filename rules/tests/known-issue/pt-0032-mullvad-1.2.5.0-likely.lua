-- PT-0032 has no fixed version: driver 1.2.5.0 is not in the range (likely).
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "Irp ", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "mullvad-split-tunnel.sys", file_version = "1.2.5.0", file_version_numeric = "1.2.5.0" } },
    attributions = { { tag = "Irp ", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Irp ", kb = "PT-0032", driver = "mullvad-split-tunnel.sys" },
  },
}
