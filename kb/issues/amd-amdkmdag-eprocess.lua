-- AMD Radeon display driver amdkmdag.sys strands an EPROCESS (tag Proc) in
-- non-paged pool per process launch.  Seed case 7 of kb-seed.md.
-- Observed in 32.0.11002.41; fixed in 32.0.21045.1000.
return {
  id = "PT-0007",
  title = "AMD Radeon amdkmdag.sys strands EPROCESS objects (tag Proc) in non-paged pool on each process launch",
  vendor = "AMD",
  product = "AMD Radeon display driver",
  drivers = { "amdkmdag.sys" },
  tags = { "Proc" },
  pool = "nonpaged",
  affected = {
    {
      id = "amdkmdag-32.0.11002.41",
      min = "32.0.11002.41", max = "32.0.11002.41",
      note = "Observed affected: amdkmdag.sys 32.0.11002.41 (microsoft/Windows-Dev-Performance#137).",
    },
  },
  fixed_in = "32.0.21045.1000",
  os = {
    { nt = "10.0", build_min = 26200, build_max = 26200, name = "Windows 11 25H2" },
  },
  severity = "high",
  symptoms = "Non-paged pool under the kernel tag Proc grows: one EPROCESS is stranded per process launch, so " ..
             "the leak grows with every program start.",
  workaround = "Upgrade the AMD Radeon display driver so amdkmdag.sys is 32.0.21045.1000 or later; until then, reboot periodically.",
  confidence = "medium",
  notes = "Proc is a generic kernel tag (the kernel allocates EPROCESS with it), so poolmon alone does not name " ..
          "amdkmdag.sys.  Only 32.0.11002.41 is known affected; versions between it and the fix are not known " ..
          "either way.  The issue says the leak \"survives into 25H2\" (build 26200, recorded); the exact build " ..
          "26200.9168 is not in the readable text.  Confidence is medium, not high: the commenter headed the " ..
          "finding \"Resolved (probably)\", the issue is still open, and the AMD cause rests on one machine " ..
          "(Safe Mode test, an Intel control machine, before and after the driver update: Proc gap 39,227 -> 27).  " ..
          "The original reporter's GPU is not stated.",
  references = {
    { kind = "issue", title = "microsoft/Windows-Dev-Performance issue #137 (EPROCESS leak; comment by dwoodford-ita, 2026-08-17: 32.0.11002.41 -> 32.0.21045.1000)",
      url = "https://github.com/microsoft/Windows-Dev-Performance/issues/137" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
