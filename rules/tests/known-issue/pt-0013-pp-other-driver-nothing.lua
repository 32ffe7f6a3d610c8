-- PT-0013 has no fix: "Pp  " held by another driver is neither PT-0013 nor PT-0010.
return {
  facts = {
    host = { os = "10.0.19041" },
    suspects = { { tag = "Pp  ", pool = "paged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "other.sys", file_version = "1.0.0.0", file_version_numeric = "1.0.0.0" } },
    attributions = { { tag = "Pp  ", candidates = { { driver = 1 } } } },
  },
  expect = { },
}
