-- Windows NT 4.0: ntfs.sys leaks non-paged pool (tag NtfV) on many mount /
-- dismount cycles.  Seed case 50 (kb-seed-3.md).  Q195541.
return {
  id = "PT-0036",
  title = "Windows NT 4.0 ntfs.sys non-paged pool leak (tag NtfV) on many mounts and dismounts (Q195541)",
  vendor = "Microsoft",
  product = "Windows NT 4.0 (NTFS)",
  drivers = { "ntfs.sys" },
  tags = { "NtfV" },
  pool = "nonpaged",
  os = {
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT 4.0" },
  },
  severity = "medium",
  symptoms = "A small leak that shows after days of repeated mounts and dismounts: look for NtfV taking a lot of " ..
             "non-pageable memory (a VPB is not tracked when a dismount is followed by an unlock).",
  workaround = "Install the hotfix Ntfs.sys dated 11/05/98 (262,512 bytes x86) from Q195541.",
  confidence = "high",
  notes = "The hotfix's FileVersion is not stated (only date and size), so no fixed_in and no range.  Build 1381 " ..
          "is the NT 4.0 build (general knowledge).",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q195541: Large Number of Mounts/Dismounts on NTFS Causes Memory Leak (jeffpar/kbarchive)",
      url = "https://github.com/jeffpar/kbarchive/blob/e92bde762b1e21a563dceee279473b0a44eb8075/kb/195/Q195541/README.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
