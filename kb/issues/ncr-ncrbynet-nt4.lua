-- NCR's third-party network driver Ncrbynet.sys (build of 1999-10-26) leaks
-- non-paged pool on Windows NT 4.0 until an allocation from
-- NonPagedPoolMustSucceed fails: STOP 0x41.  Seed case 63 (kb-seed-3.md).
return {
  id = "PT-0040",
  title = "NCR Ncrbynet.sys (1999-10-26 build) non-paged pool leak on Windows NT 4.0, ending in STOP 0x41 MUST_SUCCEED_POOL_EMPTY",
  vendor = "NCR Corporation",
  product = "NCR network driver",
  drivers = { "Ncrbynet.sys" },
  pool = "nonpaged",
  os = {
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT 4.0 (Server, Enterprise, TSE, Workstation)" },
  },
  severity = "critical",
  symptoms = "Non-paged pool leaks until an ExAllocatePoolWithTag request for NonPagedPoolMustSucceed cannot be " ..
             "satisfied: blue screen STOP 0x00000041 MUST_SUCCEED_POOL_EMPTY.  NT 4.0 has a hard limit of " ..
             "roughly 128 MB of non-paged pool.",
  workaround = "Check the Ncrbynet.sys in use; the build dated Tue Oct 26 11:37:23 1999 is known to leak.  Contact " ..
               "NCR Corporation for an updated driver (no fixed version is named).",
  confidence = "medium",
  notes = "Microsoft KB Q248747 (08-AUG-2001) names the driver and its build only by its time stamp (Tue Oct 26 " ..
          "11:37:23 1999), not a file version, so no version range; no fixed version is named, so no fixed_in.  " ..
          "No pool tag is stated, so none is listed: the entry matches when Ncrbynet.sys holds a suspect tag.  " ..
          "Build 1381 is the NT 4.0 build (general knowledge, not in the article).  Severity critical: the " ..
          "leak ends in a bug check.",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q248747: Error Message: STOP 0x00000041 MUST_SUCCEED_POOL_EMPTY (archive copy)",
      url = "https://jeffpar.github.io/kbarchive/kb/248/Q248747/" },
    { kind = "vendor-kb", title = "Microsoft KB Q248747 (text, 08-AUG-2001; jeffpar/kbarchive)",
      url = "https://github.com/jeffpar/kbarchive/blob/2dc5fc58c90c79fc8f0a10fbf94397b4193a5c3b/kb/248/Q248747/README.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
