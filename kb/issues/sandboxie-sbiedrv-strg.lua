-- Sandboxie-Plus 0.6.0 / SbieDrv.sys 5.46.5 leaks paged pool under the generic
-- Rtl string tag Strg while SandMan.exe runs.  Seed case 5; facts re-checked in
-- kb-factcheck.md.  Fixed in Plus 0.6.5 / SbieDrv.sys 5.47.0.
return {
  id = "PT-0005",
  title = "Sandboxie-Plus SbieDrv.sys 5.46.5 paged pool leak under generic tag Strg while SandMan.exe runs",
  vendor = "Sandboxie-Plus",
  product = "Sandboxie-Plus",
  drivers = { "SbieDrv.sys" },
  tags = { "Strg" },
  pool = "paged",
  -- resource.rc: FILEVERSION MY_VERSION_BINARY (5,46,5), FileVersion MY_VERSION_STRING ("5.46.5");
  -- the Plus number (0.6.0) is not in the driver at all
  versions = { field = "numeric" },
  affected = {
    {
      id = "sbiedrv-5.46.5",
      min = "5.46.5", max = "5.46.5",
      note = "SbieDrv.sys 5.46.5, shipped with Sandboxie-Plus 0.6.0 (CHANGELOG \"[0.6.0 / 5.46.5] - 2021-01-25\"; " ..
             "my_version.h at tag 0.6.0: MY_VERSION_BINARY 5,46,5).",
    },
  },
  fixed_in = "5.47.0",
  severity = "high",
  symptoms = "Paged pool under the generic kernel tag Strg (Rtl string buffers) grows while SandMan.exe runs, " ..
             "faster with more boxes (Diff +400/s with 50 boxes), past 20 GB; it stops when SandMan.exe exits, not " ..
             "with SbieCtrl.  The tag belongs to the kernel, so poolmon alone does not name SbieDrv.sys.",
  workaround = "Upgrade to Sandboxie-Plus 0.6.5 or later (SbieDrv.sys 5.47.0; CHANGELOG \"[0.6.5 / 5.47.0] - " ..
               "2021-01-31 ... fixed old memory pool leak in the Sbie driver [#444]\"); until then close SandMan.exe.",
  confidence = "high",
  notes = "0.6.0 is the Sandboxie-Plus (SandMan) release: SbieDrv.sys carries 5.46.5, so the range is the driver's " ..
          "5.x number.  The OS is not in the readable issue text, so no os entry.  Severity high is our " ..
          "judgement from the >20 GB of paged pool reported.",
  references = {
    { kind = "issue", title = "sandboxie-plus/Sandboxie issue #444 (Sandboxie leaks paged pool when Sandman is running)",
      url = "https://github.com/sandboxie-plus/Sandboxie/issues/444" },
    { kind = "changelog", title = "Sandboxie-Plus CHANGELOG: [0.6.0 / 5.46.5] and [0.6.5 / 5.47.0] fixed old memory pool leak [#444]",
      url = "https://github.com/sandboxie-plus/Sandboxie/blob/master/CHANGELOG.md" },
    { kind = "changelog", title = "Sandboxie source at tag 0.6.5: Sandboxie/common/my_version.h (MY_VERSION_BINARY 5,47,0)",
      url = "https://github.com/sandboxie-plus/Sandboxie/blob/0.6.5/Sandboxie/common/my_version.h" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
