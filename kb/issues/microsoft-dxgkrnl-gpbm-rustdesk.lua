-- dxgkrnl.sys paged pool under Gpbm grows while the RustDesk service captures
-- and encodes the screen of the controlled host (Intel iGPU, QSV), in pulses
-- that follow display-resolution changes.  Seed case 45 (kb-seed-3.md).
return {
  id = "PT-0039",
  title = "dxgkrnl.sys paged pool growth under Gpbm while the RustDesk service captures the screen (resolution changes)",
  vendor = "Microsoft",
  product = "DirectX graphics kernel (dxgkrnl.sys), triggered by RustDesk",
  drivers = { "dxgkrnl.sys" },
  tags = { "Gpbm" },
  pool = "paged",
  severity = "high",
  symptoms = "After 14 hours of uptime Gpbm held 2,555.9 MB of 3.22 GB paged pool (81 %), about 33 allocations a " ..
             "second; stopping the RustDesk service and its processes freed about 2.5 GB at once (Gpbm 2,555.9 MB " ..
             "to 39.2 MB).  The growth comes in pulses that follow display-resolution changes in the session, on " ..
             "a host capturing and encoding on an Intel iGPU (QSV, 3200x2000).",
  workaround = "Stop the RustDesk service (and its processes) to free the pool; a proposed RustDesk fix, PR #15957 " ..
               "\"reuse the dxgi staging texture instead of one per frame\", was closed awaiting the reporter's " ..
               "check, so no fixed RustDesk release is known.",
  confidence = "medium",
  notes = "The allocator is Microsoft's dxgkrnl.sys (the reporter: Gpbm is \"dxgkrnl graphics\"); the trigger is an " ..
          "application, RustDesk on the controlled host, proved by a clean on/off test.  No RustDesk version, " ..
          "dxgkrnl.sys version or OS build is stated, so no version range, no fixed_in and no os entry.  " ..
          "Severity high is our judgement (81 % of paged pool in 14 hours).",
  references = {
    { kind = "issue", title = "rustdesk/rustdesk issue #15945 (BD7PIL, 2026-08-22: Gpbm 2,555.9 MB of paged pool)",
      url = "https://github.com/rustdesk/rustdesk/issues/15945" },
    { kind = "issue", title = "rustdesk/rustdesk pull request #15957 (reuse the dxgi staging texture instead of one per frame; closed)",
      url = "https://github.com/rustdesk/rustdesk/pull/15957" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
