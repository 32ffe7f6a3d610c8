-- Windows 11 24H2/25H2: non-paged pool under NtFC (ntfs.sys) grows with WSL2 or
-- Docker VHDX use; wcifs.sys is suspected.  Seed case 8 of kb-seed.md.
-- Closed as not planned (2026-06-17): no fix.
return {
  id = "PT-0008",
  title = "Windows 11 ntfs.sys non-paged pool leak (tag NtFC) with WSL2 or Docker VHDX (wcifs.sys suspected)",
  vendor = "Microsoft",
  product = "Windows (NTFS; WSL2 / Docker VHDX)",
  drivers = { "ntfs.sys", "wcifs.sys" },
  tags = { "NtFC" },
  pool = "nonpaged",
  affected = {
    {
      id = "ntfs-10.0.26100.8875",
      min = "10.0.26100.8875", max = "10.0.26100.8875",
      note = "Observed affected: ntfs.sys 10.0.26100.8875 on Windows 11 26200.x (microsoft/WSL#40804, #41644).  " ..
             "This is the ntfs.sys version; no wcifs.sys version is given for this case.",
    },
  },
  os = {
    { nt = "10.0", build_min = 26100, build_max = 26100, name = "Windows 11 24H2" },
    { nt = "10.0", build_min = 26200, build_max = 26200, name = "Windows 11 25H2" },
  },
  severity = "high",
  symptoms = "Non-paged pool under NtFC (NTFS control blocks) grows on hosts that use WSL2 or Docker with VHDX disks.",
  workaround = "No fix: the report was closed as not planned (2026-06-17).  Reboot periodically; shutting down " ..
               "WSL2 / Docker when not needed limits the trigger.",
  confidence = "medium",
  notes = "NtFC is ntfs.sys's own tag, but the cause is not settled: wcifs.sys is only suspected, so it is listed " ..
          "as a driver with that caveat and the version range applies to ntfs.sys.  Affected builds are reported " ..
          "as Windows 11 26200.x; the OS column of the sources names 24H2 and 25H2, so both builds are recorded.  " ..
          "No fixed version: closed as not planned on 2026-06-17.",
  references = {
    { kind = "issue", title = "microsoft/WSL issue #40804 (NtFC non-paged pool growth)",
      url = "https://github.com/microsoft/WSL/issues/40804" },
    { kind = "issue", title = "microsoft/WSL issue #41644",
      url = "https://github.com/microsoft/WSL/issues/41644" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
