-- Windows 11 23H2 to 25H2: tcpip.sys non-paged pool leak triggered by
-- qBittorrent traffic, with or without a VPN.  Seed case 14 of kb-seed.md.  Open.
return {
  id = "PT-0014",
  title = "Windows 11 tcpip.sys non-paged pool leak triggered by qBittorrent (with or without VPN)",
  vendor = "Microsoft",
  product = "Windows TCP/IP stack",
  drivers = { "tcpip.sys" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 22631, build_max = 26200, name = "Windows 11 23H2 to 25H2" },
  },
  severity = "high",
  symptoms = "Non-paged pool held by tcpip.sys grows while qBittorrent runs, with or without a VPN.",
  workaround = "No fix (the report is open); pause or limit qBittorrent and reboot periodically.",
  confidence = "medium",
  notes = "The pool tag is not stated (\"?\" in the seed), so no tag is listed.  The affected range is an OS " ..
          "range (Windows 11 23H2 to 25H2, builds 22631 to 26200); no tcpip.sys file version is stated.  " ..
          "The report is open: no fixed version.",
  references = {
    { kind = "issue", title = "qbittorrent/qBittorrent issue #17218 (non-paged pool leak in tcpip.sys)",
      url = "https://github.com/qbittorrent/qBittorrent/issues/17218" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
