-- Sandboxie-Plus: SbieDrv.sys leaks paged pool under the generic Rtl string tag Strg.
-- Seed case 5 of kb-seed.md.  Observed with Sandboxie-Plus 0.6.0 / Sandboxie
-- 5.46.5 while SandMan.exe runs; fixed "in the next release", version unverified.
return {
  id = "PT-0005",
  title = "Sandboxie-Plus SbieDrv.sys paged pool leak under generic tag Strg while SandMan.exe runs",
  vendor = "Sandboxie-Plus",
  product = "Sandboxie-Plus",
  drivers = { "SbieDrv.sys" },
  tags = { "Strg" },
  pool = "paged",
  affected = {
    {
      id = "sandboxie-plus-0.6.0",
      min = "0.6.0", max = "0.6.0",
      note = "Observed affected: Sandboxie-Plus 0.6.0 (sandboxie-plus/Sandboxie#444).",
    },
    {
      id = "sandboxie-5.46.5",
      min = "5.46.5", max = "5.46.5",
      note = "Observed affected: Sandboxie 5.46.5, the version paired with Plus 0.6.0 in the same report.",
    },
  },
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
  },
  severity = "medium",
  symptoms = "Paged pool under the generic kernel tag Strg (Rtl string buffers) grows while SandMan.exe runs; " ..
             "the tag belongs to the kernel, so poolmon alone does not name SbieDrv.sys.",
  workaround = "Upgrade Sandboxie-Plus to a release after 0.6.0 / 5.46.5 (its CHANGELOG says \"fixed old memory " ..
               "pool leak in the Sbie driver [#444]\"); until then, close SandMan.exe when not needed or reboot periodically.",
  confidence = "medium",
  notes = "The fix is in \"the next release\" after the report per the CHANGELOG, but the exact version is " ..
          "unverified, so no fixed_in is recorded.  The report gives two numbers, 0.6.0 (Sandboxie-Plus) and " ..
          "5.46.5; which one SbieDrv.sys carries as its file version is not stated, so both are recorded as " ..
          "single observed versions.  The OS is given only as \"Windows 10\" with no build, so the whole " ..
          "Windows 10 range (10.0 builds 10240 to 19045) is recorded.",
  references = {
    { kind = "issue", title = "sandboxie-plus/Sandboxie issue #444 (Strg paged pool leak in SbieDrv.sys)",
      url = "https://github.com/sandboxie-plus/Sandboxie/issues/444" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
