-- Windows NT 4.0 / 2000: tcpip.sys does not free unwanted broadcast packets
-- (non-paged, tag NDPt).  Seed case 49 (kb-seed-3.md).  Q262479.
return {
  id = "PT-0035",
  title = "Windows 2000 / NT 4.0 tcpip.sys does not free unwanted broadcast packets (non-paged, tag NDPt)",
  vendor = "Microsoft",
  product = "Windows 2000 / NT 4.0 TCP/IP",
  drivers = { "tcpip.sys" },
  tags = { "NDPt" },
  pool = "nonpaged",
  versions = { field = "numeric" },
  fixed_in = "5.0.2195.2096",
  os = {
    { nt = "5.0", build_min = 2195, build_max = 2195, name = "Windows 2000" },
    { nt = "4.0", build_min = 1381, build_max = 1381, name = "Windows NT 4.0" },
  },
  severity = "high",
  symptoms = "Pool Nonpaged Bytes rises slowly and steadily, NDPt is the largest non-paged tag, and the server " ..
             "hangs after several days; seen with the IP traffic filter driver.",
  workaround = "Windows 2000: SP2, or the hotfix with Tcpip.sys and Tdi.sys 5.0.2195.2096 (05/12/2000).  NT 4.0: " ..
               "the hotfix Tcpip.sys dated 04/06/2000 (174,448 bytes, Intel).",
  confidence = "high",
  notes = "Vendor KB with the tag and the fixed file version.  fixed_in is the Windows 2000 tcpip.sys version; " ..
          "the NT 4.0 fix is given only by date and size, and no affected version is stated, so no range: a " ..
          "driver before the fix matches as likely.  Builds: 2195 from the fix's file version, 1381 (NT 4.0) " ..
          "from general knowledge.",
  references = {
    { kind = "vendor-kb", title = "Microsoft KB Q262479: Tcpip.sys Does Not Free Unwanted Broadcast Packets (jeffpar/kbarchive)",
      url = "https://github.com/jeffpar/kbarchive/blob/e92bde762b1e21a563dceee279473b0a44eb8075/kb/262/Q262479/README.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
