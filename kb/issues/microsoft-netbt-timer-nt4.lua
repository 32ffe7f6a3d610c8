-- Windows NT 4.0 Server: netbt.sys leaks 0xA0 bytes of non-paged pool per
-- abandoned timer entry.  Seed case 12; facts re-checked in kb-factcheck.md.
-- Fixed post-SP6 (Q284215).
return {
  id = "PT-0012",
  title = "Windows NT 4.0 netbt.sys non-paged pool leak (0xA0 bytes per abandoned timer entry, Q284215)",
  vendor = "Microsoft",
  product = "Windows NT 4.0 NetBIOS over TCP/IP",
  drivers = { "netbt.sys" },
  pool = "nonpaged",
  os = {
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT 4.0 Server" },
  },
  severity = "medium",
  symptoms = "When netbt.sys sends many broadcasts (UdpSendNSBcast) that get no response, each expired timer entry " ..
             "is abandoned instead of reused: 0xA0 (160) bytes of non-paged pool per entry, exhausting the pool " ..
             "after several weeks.",
  workaround = "Install the post-SP6 fix from Microsoft KB Q284215 (or a later NT 4.0 service pack with it).",
  confidence = "high",
  notes = "The pool tag is not stated, so no tag is listed, and the entry is found by driver.  The fix is a post-SP6 " ..
          "hotfix (keyword kbWinNT400PreSP7Fix), not a file version, so no fixed_in and no netbt.sys version range.  " ..
          "Build 1381 is the NT 4.0 build (general knowledge, not in the article).  Severity medium is our judgement.",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q284215: Non-Paged Pool Leak in TimerQueue Active List Cleanup (archive copy)",
      url = "https://jeffpar.github.io/kbarchive/kb/284/Q284215/" },
    { kind = "vendor-kb", title = "Microsoft KB Q284215 (text, 08-MAY-2002; archive copy)",
      url = "https://ftp.zx.net.nz/pub/Patches/Microsoft/OtherStuff/winnt/KB/Q284/2/15.TXT" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
