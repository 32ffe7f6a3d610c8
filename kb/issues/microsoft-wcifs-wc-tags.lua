-- Windows 11: wcifs.sys (WSL Plan 9 / DrvFS path) allocates non-paged pool under
-- WCsc, WCfc, WCse, WCss, WCri and never frees it (0 frees).  Seed case 9 of kb-seed.md.
-- Marked "fixinbound"; no fixed version is stated.
return {
  id = "PT-0009",
  title = "Windows 11 wcifs.sys non-paged pool leak with WSL Plan 9 / DrvFS (tags WCsc, WCfc, WCse, WCss, WCri)",
  vendor = "Microsoft",
  product = "Windows (wcifs.sys, on the WSL Plan 9 / DrvFS path)",
  drivers = { "wcifs.sys" },
  tags = { "WCsc", "WCfc", "WCse", "WCss", "WCri" },
  pool = "nonpaged",
  versions = { field = "numeric" },
  affected = {
    {
      id = "wcifs-10.0.26100.9278",
      min = "10.0.26100.9278", max = "10.0.26100.9278",
      note = "Observed affected: wcifs.sys 10.0.26100.9278 on Windows 11 26200.x (microsoft/WSL#41296).",
    },
  },
  os = {
    { nt = "10.0", build_min = 26200, build_max = 26200, name = "Windows 11 25H2" },
  },
  severity = "high",
  symptoms = "Non-paged pool under WCsc, WCfc, WCse, WCss and WCri grows with 0 frees (0 in 7.5 M allocations in " ..
             "Windows-Containers#646) while WSL file access goes through Plan 9 / DrvFS; the same leak happens on " ..
             "every open of a WCI reparse point in containers, so the trigger is wider than WSL.",
  workaround = "No fixed version is known (the issue is marked \"fixinbound\"); install Windows updates as they " ..
               "come and reboot periodically.",
  confidence = "medium",
  notes = "Marked \"fixinbound\" by Microsoft, but no build or file version with the fix is stated, so no fixed_in.  " ..
          "Only wcifs.sys 10.0.26100.9278 is known affected.  The sources name the OS as Windows 11 and the " ..
          "affected builds as 26200.x (26200.9278, 26200.9457), so only build 26200 (25H2) is recorded; 24H2 " ..
          "(26100) is not stated.  WCsc comes from ExAllocateFromNPagedLookasideList and WCfc is an " ..
          "FLT_FILE_CONTEXT (96 bytes registered, 208 bytes non-paged), per Windows-Containers#646.",
  references = {
    { kind = "issue", title = "microsoft/WSL issue #41296 (wcifs.sys WC* tags, 0 frees)",
      url = "https://github.com/microsoft/WSL/issues/41296" },
    { kind = "issue", title = "microsoft/Windows-Containers issue #646 (WC* tags non-paged, 0 frees, on WCI reparse-point opens)",
      url = "https://github.com/microsoft/Windows-Containers/issues/646" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
