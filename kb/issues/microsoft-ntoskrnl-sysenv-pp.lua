-- Windows 10 2004: each call of the Nt*SystemEnvironmentValue*Ex APIs leaks
-- 32 bytes of paged pool under "Pp  ".  Seed case 13 of kb-seed.md.
-- A single user report, unverified; no fix is stated.
return {
  id = "PT-0013",
  title = "Windows 10 2004 paged pool leak (tag \"Pp  \") of 32 bytes per Nt*SystemEnvironmentValue*Ex call",
  vendor = "Microsoft",
  product = "Windows kernel (firmware environment variable APIs)",
  drivers = { "ntoskrnl.exe" },
  tags = { "Pp  " },
  pool = "paged",
  os = {
    { nt = "10.0", build_min = 19041, build_max = 19041, name = "Windows 10 2004" },
  },
  severity = "low",
  symptoms = "Paged pool under \"Pp  \" grows by 32 bytes per call of the Nt*SystemEnvironmentValue*Ex APIs " ..
             "(firmware environment variables), so a program that calls them in a loop grows the tag steadily.",
  workaround = "No fix is known; stop or limit the program that calls these APIs repeatedly, or reboot periodically.",
  confidence = "low",
  notes = "A single user report, unverified.  Observed on Windows 10 2004, build 19041.508; the ntoskrnl.exe file " ..
          "version is not stated, so no version range is recorded.  Fixed version: not stated (\"?\" in the seed).",
  references = {
    { kind = "issue", title = "TheCruZ/EFI_Driver_Access issue #1 (\"Pp  \" leak per SystemEnvironmentValueEx call)",
      url = "https://github.com/TheCruZ/EFI_Driver_Access/issues/1" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
