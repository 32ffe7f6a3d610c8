-- eBPF for Windows: netebpfext.sys non-paged pool leak in 2022 builds.
-- Seed case 15 of kb-seed.md.  Issue closed; no fixed version is stated.
return {
  id = "PT-0015",
  title = "eBPF for Windows netebpfext.sys non-paged pool leak (2022 builds)",
  vendor = "Microsoft",
  product = "eBPF for Windows",
  drivers = { "netebpfext.sys" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
    { nt = "10.0", build_min = 22000, build_max = 26200, name = "Windows 11" },
  },
  severity = "medium",
  symptoms = "Non-paged pool held by netebpfext.sys grows.",
  workaround = "No fixed version is stated (the issue is closed); update eBPF for Windows to a current release, " ..
               "check whether netebpfext.sys still grows, and reboot periodically until it does not.",
  confidence = "low",
  notes = "The sources say only \"2022 builds\": no file version is stated, so no version range, and the issue was " ..
          "closed without a stated fixed version.  The pool tag is not stated (\"?\" in the seed).  The OS is " ..
          "given as \"Windows 10/11\" with no build, recorded as 10.0 builds 10240 to 19045 and 22000 to 26200.",
  references = {
    { kind = "issue", title = "microsoft/ebpf-for-windows issue #1091 (netebpfext.sys non-paged pool leak)",
      url = "https://github.com/microsoft/ebpf-for-windows/issues/1091" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
