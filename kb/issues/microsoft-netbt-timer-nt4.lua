-- Windows NT 4.0 Server: netbt.sys leaks 0xA0 bytes of non-paged pool per
-- timer entry.  Seed case 12 of kb-seed.md.  Fixed post-SP6 (Q284215).
return {
  id = "PT-0012",
  title = "Windows NT 4.0 netbt.sys non-paged pool leak (0xA0 bytes per timer entry)",
  vendor = "Microsoft",
  product = "Windows NT 4.0 NetBIOS over TCP/IP",
  drivers = { "netbt.sys" },
  pool = "nonpaged",
  os = {
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT 4.0 Server" },
  },
  severity = "medium",
  symptoms = "Non-paged pool held by netbt.sys grows by 0xA0 bytes per timer entry.",
  workaround = "Install the post-SP6 fix from Microsoft KB Q284215.",
  confidence = "medium",
  notes = "The pool tag is not stated (\"?\" in the seed), so no tag is listed.  The fix is a post-SP6 hotfix " ..
          "(Q284215), not a file version, so no fixed_in and no netbt.sys version range.  The sources give no URL " ..
          "for Q284215, so the reference has a title only.",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q284215" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
