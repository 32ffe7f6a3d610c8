-- The same "Pp  " at 97 % on Windows Server 2012 R2 (build 9600): no entry
-- that lists "Pp  " names that build, so nothing is cited.
return {
  facts = {
    host = { os = "6.3.9600" },
    suspects = { { tag = "Pp", pool = "paged", bytes = 2000000000, share = 0.97 } },
  },
  expect = {},
}
