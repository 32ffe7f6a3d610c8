-- Four hourly captures: CtNt climbs by 100 MiB an hour, File wobbles.  The
-- series (not the case) decides that CtNt grows steadily.
return {
  facts = {
    captures = {
      { time = "2026-11-20T08:00:00Z", nonpaged_bytes = 4000000000,
        rows = { { tag = "CtNt", bytes = 104857600 }, { tag = "File", bytes = 50000000 } } },
      { time = "2026-11-20T09:00:00Z", nonpaged_bytes = 4000000000,
        rows = { { tag = "CtNt", bytes = 209715200 }, { tag = "File", bytes = 52000000 } } },
      { time = "2026-11-20T10:00:00Z", nonpaged_bytes = 4000000000,
        rows = { { tag = "CtNt", bytes = 314572800 }, { tag = "File", bytes = 49000000 } } },
      { time = "2026-11-20T11:00:00Z", nonpaged_bytes = 4000000000,
        rows = { { tag = "CtNt", bytes = 419430400 }, { tag = "File", bytes = 51000000 } } },
    },
  },
  expect = { { level = "likely", tag = "CtNt" } },
}
