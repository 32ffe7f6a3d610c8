-- eBPF for Windows: netebpfext.sys leaves pool allocated when it unloads
-- (Driver Verifier findings, 2022 and 2023 builds).  Seed cases 15 and 36
-- (kb-seed.md, kb-seed-2.md); facts re-checked in kb-factcheck.md.
return {
  id = "PT-0015",
  title = "eBPF for Windows netebpfext.sys leaves pool allocated at unload (Driver Verifier; 2022 and 2023 builds)",
  vendor = "Microsoft",
  product = "eBPF for Windows",
  drivers = { "netebpfext.sys" },
  severity = "low",
  symptoms = "Driver Verifier reports netebpfext.sys pool still allocated when the driver unloads: in 2022 a " ..
             "non-paged allocation found by pool tracking (!verifier 3 netebpfext.sys, #1091); in 2023 bug check " ..
             "DRIVER_VERIFIER_DETECTED_VIOLATION (c4), Arg1 0x62 \"driver has forgotten to free its pool " ..
             "allocations prior to unloading\", 3 allocations, with 0x228 current non-paged allocations for " ..
             "0xC5E99 bytes in the dump (#2197).  A leak per load and unload, not growth seen at run time.",
  workaround = "Update eBPF for Windows to a current release (#1091 is closed without a stated fixed version; " ..
               "#2197 is open).  Hosts that do not unload the driver are not affected in practice.",
  confidence = "medium",
  notes = "The sources say only \"2022 builds\" and \"2023 builds\": no file version, so no version range, and no " ..
          "fixed version.  No pool tag is stated; the 2023 report mixes paged and non-paged pool, so no pool is " ..
          "given.  The sources name no OS (test VMs), so no os entry.  Severity low: unload-time verifier " ..
          "findings.  (Seed case 36 is a later instance of the same class, merged here.)",
  references = {
    { kind = "issue", title = "microsoft/ebpf-for-windows issue #1091 (Alan-Jowett, 2022-05-11: !verifier 3 netebpfext.sys, non-paged allocation leaked)",
      url = "https://github.com/microsoft/ebpf-for-windows/issues/1091" },
    { kind = "issue", title = "microsoft/ebpf-for-windows issue #2197 (2023-03-16: bug check C4/0x62 on unload)",
      url = "https://github.com/microsoft/ebpf-for-windows/issues/2197" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
