-- Windows 11 25H2: non-paged pool tied to netio.sys grows while WSL2 / Virtual
-- Machine Platform has network activity.  Seed case 25 (kb-seed-2.md).
return {
  id = "PT-0023",
  title = "Windows 11 25H2 netio.sys non-paged pool growth with WSL2 / Virtual Machine Platform network activity",
  vendor = "Microsoft",
  product = "Windows (netio.sys) with WSL2 / Virtual Machine Platform",
  drivers = { "netio.sys" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 26200, build_max = 26200, name = "Windows 11 25H2" },
  },
  severity = "high",
  symptoms = "Non-paged pool grows while WSL2 runs with network activity, until memory runs out; disabling WSL " ..
             "and the Virtual Machine Platform stops it.  The dominant pool tag is one associated with netio.sys.",
  workaround = "None stated (open, needs-author-feedback): stop WSL2 when not needed and reboot to recover the pool.",
  confidence = "low",
  notes = "The tag itself is not in the readable text (\"the dominant ... pool tag is associated with NetIO.sys\"), " ..
          "so no tag is listed and the entry matches on netio.sys holding a suspect tag.  WSL 2.7.0.0, WSL kernel " ..
          "6.6.114.1-1, Windows 10.0.26200.7462.  No netio.sys version and no fix are stated.",
  references = {
    { kind = "issue", title = "microsoft/WSL issue #13884 (2025-12-12: non-paged pool growth with WSL2 networking)",
      url = "https://github.com/microsoft/WSL/issues/13884" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
