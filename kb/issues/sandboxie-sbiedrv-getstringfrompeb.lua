-- Sandboxie-Plus 1.15.9 / SbieDrv.sys 5.70.9 leaks a buffer in
-- Process_GetStringFromPeb for long command lines.  Seed case 31 (kb-seed-2.md).
-- Fixed in 1.15.10 / 5.70.10.
return {
  id = "PT-0025",
  title = "Sandboxie-Plus SbieDrv.sys 5.70.9 leaks a buffer per process start with a long command line",
  vendor = "Sandboxie-Plus",
  product = "Sandboxie-Plus",
  drivers = { "SbieDrv.sys" },
  -- SbieDrv.sys carries the 5.x number (my_version.h), not the Plus release
  versions = { field = "numeric" },
  affected = {
    {
      id = "sbiedrv-5.70.9",
      min = "5.70.9", max = "5.70.9",
      note = "Release v1.15.9 / 5.70.9 (sandboxie-plus/Sandboxie#4658).",
    },
  },
  fixed_in = "5.70.10",
  os = {
    { nt = "10.0", build_min = 19045, build_max = 19045, name = "Windows 10 22H2" },
  },
  severity = "low",
  symptoms = "The LocalBuffer allocated in process_force.c (line 494) is not freed when a process's command line " ..
             "is longer than StringMaxLenInChars / MaximumLength: one allocation per such process start.",
  workaround = "Upgrade to Sandboxie-Plus 1.15.10 (SbieDrv.sys 5.70.10; CHANGELOG \"[1.15.10 / 5.70.10] - " ..
               "2025-04-15 ... fixed Process_GetCommandLine causing memory leak [#4658]\").",
  confidence = "high",
  notes = "A code-level report fixed in a named release; low impact.  The pool tag and pool type are not stated, " ..
          "so none is listed: the entry matches on SbieDrv.sys holding a suspect tag.  Reported on Windows 10 Pro " ..
          "22H2 x64.",
  references = {
    { kind = "issue", title = "sandboxie-plus/Sandboxie issue #4658 (2025-04-07: leak in Process_GetStringFromPeb)",
      url = "https://github.com/sandboxie-plus/Sandboxie/issues/4658" },
    { kind = "changelog", title = "Sandboxie-Plus CHANGELOG: [1.15.10 / 5.70.10] - 2025-04-15",
      url = "https://github.com/sandboxie-plus/Sandboxie/blob/master/CHANGELOG.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
