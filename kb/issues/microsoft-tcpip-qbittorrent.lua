-- Windows 11 / Server 2025: non-paged pool under Acrl grows with zero frees
-- while qBittorrent runs through ProtonVPN split tunneling (WireGuard).  The
-- report blames tcpip.sys; ProtonVPN's CalloutDriver.sys is the likelier
-- trigger.  Seed cases 14 and 40 (merged); facts re-checked in kb-factcheck.md.
return {
  id = "PT-0014",
  title = "Non-paged pool leak under tag Acrl (zero frees) with qBittorrent over ProtonVPN split tunneling (tcpip.sys blamed, CalloutDriver.sys suspected)",
  vendor = "Microsoft",
  product = "Windows TCP/IP stack, with ProtonVPN for Windows split tunneling",
  drivers = { "tcpip.sys", "CalloutDriver.sys" },
  tags = { "Acrl", "acrl" },
  pool = "nonpaged",
  versions = { field = "numeric" },
  affected = {
    {
      id = "calloutdriver-1.0.5.0",
      min = "1.0.5.0", max = "1.0.5.0",
      note = "CalloutDriver.sys 1.0.5.0 with ProtonVPN 5.1.5 and qBittorrent 5.2.2 (comment of 2026-08-10 on " ..
             "#17218).  No tcpip.sys file version is stated, so tcpip.sys alone matches as likely, not known.",
    },
  },
  os = {
    { nt = "10.0", build_min = 22631, build_max = 26200, name = "Windows 11 23H2 to 25H2; Windows Server 2025" },
  },
  severity = "high",
  symptoms = "Non-paged pool under Acrl grows with zero frees while qBittorrent runs through ProtonVPN (WireGuard, " ..
             "split tunneling in include mode): about 36 MB / 107k allocations per 30 minutes, 15.78 GB over " ..
             "47,017,970 allocations; restarting qBittorrent or the VPN frees nothing, only a reboot does; the " ..
             "counter stops when both are closed.",
  workaround = "No fix (the report is open, \"Waiting upstream\"): do not use ProtonVPN split tunneling with " ..
               "qBittorrent, and reboot to recover the pool.",
  confidence = "medium",
  notes = "Tag spelling: two comments (chelc-fox 2024-02-17, spamies1 2024-03-10) write \"acrl\"; a later comment " ..
          "sets nt!poolhittag to 'lrcA', the literal poolmon shows as \"Acrl\".  Tags are case-sensitive, so both " ..
          "spellings are listed.  Owner: the issue title blames tcpip.sys, but the reports all use ProtonVPN " ..
          "split tunneling, whose CalloutDriver.sys 1.0.5.0 is the likelier allocator (not proven).  OS: comments " ..
          "report 23H2, 24H2 (2025-07-30) and 25H2 (2025-11-17), and Windows Server 2025 10.0.26100 (2026); " ..
          "recorded as builds 22631 to 26200.  Only VPN users report it (ProtonVPN, PIA): the earlier " ..
          "\"with or without VPN\" is not supported by any readable comment and was removed.  A \"4.3.12-era fix\" " ..
          "of ProtonVPN did not cure it, per the 2026-08-10 comment.",
  references = {
    { kind = "issue", title = "qbittorrent/qBittorrent issue #17218 (comments 2024-02 to 2026-08: tag Acrl/acrl, ProtonVPN split tunneling, CalloutDriver.sys 1.0.5.0)",
      url = "https://github.com/qbittorrent/qBittorrent/issues/17218" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
