-- Windows NT 4.0: ndis.sys depletes non-paged pool when intermediate (layered)
-- NDIS drivers are installed.  Seed case 27 (kb-seed-2.md).  Q156655, Q216108.
return {
  id = "PT-0024",
  title = "Windows NT 4.0 ndis.sys non-paged pool leak with intermediate (layered) NDIS drivers (Q156655)",
  vendor = "Microsoft",
  product = "Windows NT 4.0 (NDIS)",
  drivers = { "ndis.sys" },
  pool = "nonpaged",
  os = {
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT 4.0" },
  },
  severity = "high",
  symptoms = "Non-paged pool is depleted over time when intermediate NDIS drivers (encryption or filter add-ons) " ..
             "are installed; may also STOP 0x0000000A in NDIS.SYS.",
  workaround = "Install the post-SP3 ndis hotfix (Q156655; SP3 required first); on NT 4.0 Terminal Server Edition, " ..
               "TSE Service Pack 4 (Q216108).  Remove filter drivers that are not needed.",
  confidence = "high",
  notes = "Vendor KB articles, read through third-party mirrors.  No pool tag and no ndis.sys file version are " ..
          "stated, so no tag and no version range: the entry matches on ndis.sys holding a suspect tag.  Build " ..
          "1381 is the NT 4.0 build (general knowledge).",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q156655 (ndis-fix, post-SP3 hotfix; mirror)",
      url = "https://ftp.zx.net.nz/pub/Patches/Microsoft/WinNT-patches/4.0/fixes/nt40/hotfixes-postSP3/ndis-fix/Q156655.TXT" },
    { kind = "vendor-kb", title = "Microsoft KB Q156655 (MSDN 1998 library copy)",
      url = "https://library.thedatadungeon.com/msdn-1998-06/kb/Source/winnt/q156655.content.htm" },
    { kind = "vendor-kb", title = "Microsoft KB Q216108 (Terminal Server Edition; mirror)",
      url = "https://www.infania.net/misc/kbarchive/kb/216/Q216108/index.html" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
