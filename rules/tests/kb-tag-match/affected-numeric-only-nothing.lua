-- npcap.sys with only the numeric version of Npcap 0.9995 (5.0.9995.709, no
-- version strings) holds 4321.  PT-0003 compares Npcap releases, and
-- 5.0.9995.709 is release 0.9995, in the affected range: this rule must not
-- call it past the fix (5.0.9995.709 is numerically above "0.9996", which is
-- the comparison in the wrong space it must not make).
return {
  facts = {
    suspects = { { tag = "4321", pool = "nonpaged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "npcap.sys", file_version_numeric = "5.0.9995.709" } },
    attributions = { { tag = "4321", candidates = { { driver = 1 } } } },
  },
  expect = {},
}
