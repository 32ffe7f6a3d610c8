-- Windows Vista / 7 / Server 2008 / 2008 R2: NET_BUFFER_LIST chains leak in
-- non-paged pool on the WFP callout path (hit through third-party anti-virus or
-- firewall callouts).  Seed case 11 of kb-seed.md.  Fixed by hotfix KB979223.
return {
  id = "PT-0011",
  title = "Windows Vista / 7 / 2008 / 2008 R2 non-paged pool leak of NET_BUFFER_LIST chains on the WFP callout path",
  vendor = "Microsoft",
  product = "Windows Filtering Platform (WFP)",
  drivers = {},
  pool = "nonpaged",
  os = {
    { nt = "6.0", build_min = 6000, build_max = 6002, name = "Windows Vista / Windows Server 2008" },
    { nt = "6.1", build_min = 7600, build_max = 7601, name = "Windows 7 / Windows Server 2008 R2" },
  },
  severity = "high",
  symptoms = "Non-paged pool grows with leaked NET_BUFFER_LIST chains when a third-party anti-virus or firewall " ..
             "registers WFP callouts.",
  workaround = "Install hotfix KB979223; until then, reboot periodically.",
  confidence = "medium",
  notes = "The sources name no pool tag (\"?\" in the seed) and no driver file, only \"the WFP callout path\", so " ..
          "the drivers list is empty and this entry is not found by tag or driver lookup: use kb search.  " ..
          "The fix is a hotfix (KB979223), not a file version, so no fixed_in.  No service pack is named: " ..
          "Windows 7 / 2008 R2 is recorded as builds 7600 (RTM) to 7601 (SP1), Vista / 2008 as 6000 to 6002: our " ..
          "reading of \"Windows 7\" and \"Windows Vista\", not the article's.  With no driver and no tag this " ..
          "entry cannot be matched by the known-issue rule; it is here for kb search and for the people who read it.",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB979223 (WFP callout blocks a multi-NBL chain: the last NBL is not released)",
      url = "http://support.microsoft.com/kb/979223" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
