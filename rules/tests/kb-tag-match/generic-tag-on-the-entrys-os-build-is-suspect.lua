-- A poolmon screen alone from a Windows 10 2004 host: the generic tag
-- "Pp  " holds 97 % of paged pool.  PT-0013 lists it for build 19041, so
-- the finding cites PT-0013, at `suspect` (many drivers use "Pp  ").
return {
  facts = {
    host = { os = "10.0.19041" },
    suspects = { { tag = "Pp", pool = "paged", bytes = 2000000000, share = 0.97 } },
  },
  expect = { { level = "suspect", tag = "Pp", kb = "PT-0013", title = "generic kernel tag of known issue PT-0013" } },
}
