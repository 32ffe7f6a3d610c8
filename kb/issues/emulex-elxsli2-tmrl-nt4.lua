-- Emulex Fibre Channel SCSI driver Elxsli2.sys (v4-1.24, 1999) leaks non-paged
-- pool under tag TMRL on NT 4.0.  Seed case 48 (kb-seed-3.md).  Q317151.
return {
  id = "PT-0034",
  title = "Emulex Fibre Channel Elxsli2.sys v4-1.24 non-paged pool leak (tag TMRL) on Windows NT 4.0",
  vendor = "Emulex",
  product = "Emulex Fibre Channel PCI Host Bus Adapter driver",
  drivers = { "Elxsli2.sys" },
  tags = { "TMRL" },
  pool = "nonpaged",
  os = {
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT Server 4.0" },
  },
  severity = "high",
  symptoms = "Steady non-paged pool growth (negative Pool Nonpaged Bytes in perfmon logs), then a hang or Stop " ..
             "0x0A / 0x2D / 0xFFFFFFFF; Q265096: Stop 0x41 and event 2000 with C000009A.  NT 4.0 has at most 128 MB " ..
             "of non-paged pool.",
  workaround = "Use an earlier Emulex driver version, or ask Emulex for an updated driver (\"Emulex is in the " ..
               "process of addressing this issue\").",
  confidence = "high",
  notes = "Vendor KB naming the tag, the driver file and its version \"v4-1.24, December 14, 1999\": that is " ..
          "not a version string pooltriage can compare, and the file's version resource is not stated, so no " ..
          "range.  Build 1381 is the NT 4.0 build (general knowledge).",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q317151: Non-Paged Pool Memory Leak with Emulex Fibre SCSI Driver (jeffpar/kbarchive)",
      url = "https://github.com/jeffpar/kbarchive/blob/e92bde762b1e21a563dceee279473b0a44eb8075/kb/317/Q317151/README.md" },
    { kind = "vendor-kb", title = "Microsoft KB Q265096: Stop 41 Error Message Occurs and Event 2000 Is Logged (jeffpar/kbarchive)",
      url = "https://github.com/jeffpar/kbarchive/blob/e92bde762b1e21a563dceee279473b0a44eb8075/kb/265/Q265096/README.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
