-- PT-0016: ovpn-dco.sys holds a suspect tag (none is stated by the source).
return {
  facts = {
    suspects = { { tag = "Ovpn", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ovpn-dco.sys", file_version = "0.8.0", file_version_numeric = "0.8.0.0" } },
    attributions = { { tag = "Ovpn", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Ovpn", kb = "PT-0016", driver = "ovpn-dco.sys" },
  },
}
