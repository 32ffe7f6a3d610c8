-- PT-0016 has no fixed version: another driver is not PT-0016.
return {
  facts = {
    suspects = { { tag = "Ovpn", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ovpn.sys", file_version = "0.8.0", file_version_numeric = "0.8.0.0" } },
    attributions = { { tag = "Ovpn", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
