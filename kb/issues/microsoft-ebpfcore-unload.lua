-- eBPF for Windows: EbpfCore.sys leaves pool (tag ebpf) allocated at driver
-- unload.  Seed case 35 (kb-seed-2.md).  Driver Verifier findings.
return {
  id = "PT-0028",
  title = "eBPF for Windows EbpfCore.sys leaves pool allocated at unload (tag ebpf, Driver Verifier)",
  vendor = "Microsoft",
  product = "eBPF for Windows",
  drivers = { "EbpfCore.sys" },
  tags = { "ebpf" },
  pool = "nonpaged",
  severity = "low",
  symptoms = "Driver Verifier pool tracking reports allocations outstanding when EbpfCore.sys unloads (#1908: 1 " ..
             "allocation of 4 bytes from ebpfcore!ebpf_allocate).  Not growth at run time.",
  workaround = "Update eBPF for Windows: #107 was fixed by PR #109 (2021-04-29, \"Fix pool corruption and memory " ..
               "leak\"); #1908 was closed without a repro.",
  confidence = "medium",
  notes = "Affected: 2021 builds (#107, tag not stated) and a CI build of 2023-01-17 (#1908, tag ebpf).  No file " ..
          "versions are stated, so no version range; the OS is not stated.  Low operational impact (unload only).",
  references = {
    { kind = "issue", title = "microsoft/ebpf-for-windows issue #107",
      url = "https://github.com/microsoft/ebpf-for-windows/issues/107" },
    { kind = "changelog", title = "microsoft/ebpf-for-windows pull request #109 (2021-04-29: Fix pool corruption and memory leak)",
      url = "https://github.com/microsoft/ebpf-for-windows/pull/109" },
    { kind = "issue", title = "microsoft/ebpf-for-windows issue #1908 (ebpfcore!ebpf_allocate, tag ebpf, 1 allocation)",
      url = "https://github.com/microsoft/ebpf-for-windows/issues/1908" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
