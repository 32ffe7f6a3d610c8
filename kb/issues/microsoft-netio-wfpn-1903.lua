-- Windows 10 1903: netio.sys WFP NBL info containers (tag Wfpn) grow while
-- qBittorrent runs.  Seed case 23 (kb-seed-2.md).  Low confidence.
return {
  id = "PT-0022",
  title = "Windows 10 1903 netio.sys pool growth under Wfpn (WFP NBL info container) with qBittorrent",
  vendor = "Microsoft",
  product = "Windows Filtering Platform (netio.sys)",
  drivers = { "netio.sys" },
  tags = { "Wfpn" },
  os = {
    { nt = "10.0", build_min = 18362, build_max = 18362, name = "Windows 10 1903" },
  },
  severity = "medium",
  symptoms = "Wfpn grows after about 12 hours of qBittorrent 4.1.7 running; it started after the 1903 update and " ..
             "shows only in poolmon.",
  workaround = "None stated (the issue is closed).  The reporter names Killer LAN drivers as a known factor: check " ..
               "for them (see PT-0037).",
  confidence = "low",
  notes = "The reporter is unsure of the cause.  Windows 10 x64 1903, 10.0.18362.267.  The pool type is not stated, " ..
          "so no pool is given.  The reporter quotes pooltag.txt for Wfpn (\"netio.sys - WFP NBL info container\") " ..
          "and cites a Super User thread about Wfpn after an update.  No netio.sys version and no fix are stated.",
  references = {
    { kind = "issue", title = "qbittorrent/qBittorrent issue #11247 (2019-09-17: Wfpn growth on Windows 10 1903)",
      url = "https://github.com/qbittorrent/qBittorrent/issues/11247" },
    { kind = "forum", title = "Super User: Windows 10 memory leak after update, Wfpn / ntoskrnl.exe",
      url = "https://superuser.com/questions/1238954/windows-10-memory-leak-after-update-wfpn-ntoskrnl-exe" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
