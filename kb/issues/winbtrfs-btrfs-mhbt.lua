-- WinBtrfs btrfs.sys up to 1.4 leaks pool (tag MHBt) in create/delete loops;
-- fixed in 1.5.  Seed case 42 (kb-seed-3.md).
return {
  id = "PT-0033",
  title = "WinBtrfs btrfs.sys up to 1.4 leaks pool (tag MHBt) on file create/delete loops; fixed in 1.5",
  vendor = "WinBtrfs (Mark Harmstone)",
  product = "WinBtrfs",
  drivers = { "btrfs.sys" },
  tags = { "MHBt" },
  -- FILEVERSION 1,4,0,0 with FileVersion "1.4"; 1.5 is 1,5,0,0
  versions = { field = "numeric" },
  affected = {
    {
      id = "btrfs-up-to-1.4",
      max = "1.4",
      note = "Builds up to v1.4 (released 2019-08-31; FILEVERSION 1,4,0,0) and master before 2019-11-09.  No " ..
             "lower bound is stated.",
    },
  },
  fixed_in = "1.5",
  os = {
    { nt = "6.1", build_min = 7600, build_max = 7601, name = "Windows 7 x64" },
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10 x64" },
  },
  severity = "high",
  symptoms = "A batch loop (help > help.txt, del help.txt) makes memory climb until \"not a valid Win32 " ..
             "application\" errors, CRC errors or an Explorer hang; on a custom build MHBt held 5,969,696 bytes " ..
             "non-paged and 13,863,696 bytes paged.",
  workaround = "Upgrade WinBtrfs to 1.5 or later (2019-11-10; README changelog \"Fixed a bunch of memory leaks\").",
  confidence = "medium",
  notes = "Tag from source: src/btrfs_drv.h #define ALLOC_TAG 0x7442484D //'MHBt' (zlib buffers use MHBz).  The " ..
          "extra tags in the thread (MH36, MH39, MHbA, ...) come from a contributor's custom per-site build, not " ..
          "the released driver.  Both pools are used, so no pool is given.  The exact fixing commit of each leak " ..
          "is not pinned; 9d45a7ef (in v1.4) and 35124cb4 (in v1.5) are among them.  Windows 7 and 10 VMs (2 GB), " ..
          "also ReactOS; no build numbers, so the whole Windows 7 and 10 ranges are recorded.",
  references = {
    { kind = "issue", title = "maharmstone/btrfs issue #164 (2019-08-04: memory leak in create/delete loops)",
      url = "https://github.com/maharmstone/btrfs/issues/164" },
    { kind = "issue", title = "maharmstone/btrfs issue #205 (2019-11-02)",
      url = "https://github.com/maharmstone/btrfs/issues/205" },
    { kind = "issue", title = "maharmstone/btrfs pull request #172 (no leaks on master 26a05b3a, 2019-11-09)",
      url = "https://github.com/maharmstone/btrfs/pull/172" },
    { kind = "changelog", title = "maharmstone/btrfs README.md changelog (1.5: Fixed a bunch of memory leaks)",
      url = "https://github.com/maharmstone/btrfs/blob/master/README.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
