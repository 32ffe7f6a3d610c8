-- Windows XP SP2+ and Vista: repeated driver load and unload leaks kernel pool
-- under IoSe (I/O manager) and "Pp  " (PnP manager).  Seed case 10 of kb-seed.md.
-- Fixed by hotfix KB950162; pool type not stated.
return {
  id = "PT-0010",
  title = "Windows XP / Vista kernel pool leak (tags IoSe, \"Pp  \") on repeated driver load and unload",
  vendor = "Microsoft",
  product = "Windows kernel (I/O manager, PnP manager)",
  drivers = { "ntoskrnl.exe" },
  tags = { "IoSe", "Pp  " },
  os = {
    { nt = "5.1", build_min = 2600, build_max = 2600, name = "Windows XP (SP2 and later)" },
    { nt = "6.0", build_min = 6000, build_max = 6001, name = "Windows Vista (RTM, SP1)" },
  },
  severity = "medium",
  symptoms = "Each load and unload of a driver leaves pool under IoSe and \"Pp  \" behind, so hosts that load and " ..
             "unload drivers repeatedly grow these tags.",
  workaround = "Install hotfix KB950162; until then, avoid repeated driver load/unload cycles or reboot periodically.",
  confidence = "high",
  notes = "The pool type is not stated (\"?\" in the seed), so no pool is given.  The fix is a hotfix (KB950162), " ..
          "not a file version, so no fixed_in is recorded and no ntoskrnl.exe version range is given.  " ..
          "Windows XP is 5.1.2600 for every service pack; the sources say SP2 and later.  Both tags are generic " ..
          "kernel tags and grow for other reasons too.  The article (revision 2.2, 2008-05-28) names no Vista " ..
          "service pack and predates Vista SP2 (build 6002), so Vista is recorded as builds 6000 and 6001 only.",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB950162 (IoSe and Pp grow on every driver load and unload; XP SP2 or later)",
      url = "http://support.microsoft.com/kb/KB950162" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
