-- PT-0032: mullvad-split-tunnel.sys 1.3.0.0 with "Irp " growing on Windows 11 25H2.
return {
  facts = {
    host = { os = "11-25H2" },
    suspects = { { tag = "Irp ", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "mullvad-split-tunnel.sys", file_version = "1.3.0.0", file_version_numeric = "1.3.0.0" } },
    attributions = { { tag = "Irp ", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "known", tag = "Irp ", kb = "PT-0032", driver = "mullvad-split-tunnel.sys" },
  },
}
