-- PT-0030: ndu.sys holds a suspect tag on Windows 10 1607 (no tag is stated).
return {
  facts = {
    host = { os = "10-1607" },
    suspects = { { tag = "NDUx", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ndu.sys", file_version = "10.0.14393.0", file_version_numeric = "10.0.14393.0" } },
    attributions = { { tag = "NDUx", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "NDUx", kb = "PT-0030", driver = "ndu.sys" },
  },
}
