-- TrafficMonitor 1.86: non-paged pool under tag 0045, tm.sys suspected.
-- Seed case 33 (kb-seed-2.md).  Low confidence: findstr-only attribution.
return {
  id = "PT-0026",
  title = "TrafficMonitor 1.86: non-paged pool growth under tag 0045 (tm.sys suspected)",
  vendor = "zhongyang219",
  product = "TrafficMonitor",
  drivers = { "tm.sys" },
  tags = { "0045" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 22000, build_max = 26200, name = "Windows 11" },
  },
  severity = "medium",
  symptoms = "High non-paged pool usage (\"非分页缓冲池\"); poolmon points at tag 0045.",
  workaround = "None stated (the issue is open); close TrafficMonitor and watch whether 0045 stops growing.",
  confidence = "low",
  notes = "Attribution by findstr only: findstr /m /l 0045 *.sys matched tm.sys, qcqmuxpcie.sys and SLBSafe.sys; " ..
          "tm.sys is the reporter's suspect.  TrafficMonitor 1.86 (the app's version, not a driver file version), " ..
          "so no version range.  The OS is given only as Windows 11, recorded as builds 22000 to 26200.",
  references = {
    { kind = "issue", title = "zhongyang219/TrafficMonitor issue #2362 (2026-06-26: tag 0045, non-paged pool)",
      url = "https://github.com/zhongyang219/TrafficMonitor/issues/2362" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
