-- Npcap 0.9988: npcap.sys leaks non-paged pool (tags NPBL, "Mdl ") in the
-- loopback WFP filter.  Seed case 2; facts re-checked in kb-factcheck.md.
-- Observed in 0.9988 only (0.9987 was fine); fixed in 0.9989.
return {
  id = "PT-0002",
  title = "Npcap 0.9988 npcap.sys non-paged pool leak in the loopback WFP filter (tags NPBL, \"Mdl \")",
  vendor = "Nmap Project",
  product = "Npcap",
  drivers = { "npcap.sys" },
  tags = { "NPBL", "Mdl " },
  pool = "nonpaged",
  -- npcap.rc: FileVersion and ProductVersion strings are the release ("0.9988");
  -- the numeric version is 5.MINOR.REV.BUILD (5.0.9988.302)
  versions = { field = "file_version", scheme = "Npcap release", numeric = "5.{1}.{2}.*" },
  affected = {
    {
      id = "npcap-0.9988",
      min = "0.9988", max = "0.9988",
      note = "Npcap 0.9988 (nmap/nmap#1966, #1976; 0.9987 was fine): FileVersion string \"0.9988\", numeric " ..
             "5.0.9988.302 (version.h at tag v0.9988).",
    },
  },
  fixed_in = "0.9989",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
  },
  severity = "medium",
  symptoms = "NPBL and \"Mdl \" grow together while a lot of data is sent and received over loopback and another " ..
             "adapter is being captured: about half of the NPBL allocations leak, and as many MDLs.",
  workaround = "Upgrade Npcap to 0.9989 or later (CHANGELOG 2020-03-19: \"Fix a memory leak in the Loopback WFP filter\").",
  confidence = "high",
  notes = "The reporter wrote \"paged pools\", but every NPBL allocation in Loopback.c at v0.9988 " ..
          "(NPF_TAG_LOOPBACK_COPY 'LBPN', shown as NPBL) comes from NdisAllocateMemoryWithTagPriority, which " ..
          "allocates from non-paged pool.  \"Mdl \" is a generic kernel tag, so its growth alone does not point " ..
          "at npcap.sys.  The OS is given only as \"Windows 10 x64\", recorded as 10.0 builds 10240 to 19045.  " ..
          "Severity medium is our judgement; no source grades it.",
  references = {
    { kind = "issue", title = "nmap/nmap issue #1966 (Npcap 0.9988: Mdl and NPBL grow)",
      url = "https://github.com/nmap/nmap/issues/1966" },
    { kind = "issue", title = "nmap/nmap issue #1976 (npcap.sys 0.9988 memory leaks on Windows 10 x64; 0.9987 fine)",
      url = "https://github.com/nmap/nmap/issues/1976" },
    { kind = "changelog", title = "Npcap CHANGELOG, 0.9989 (2020-03-19): Fix a memory leak in the Loopback WFP filter",
      url = "https://github.com/nmap/npcap/blob/master/CHANGELOG.md" },
    { kind = "changelog", title = "Npcap source at v0.9988: packetWin7/npf/npf/Loopback.c (NPF_TAG_LOOPBACK_COPY 'LBPN')",
      url = "https://github.com/nmap/npcap/blob/v0.9988/packetWin7/npf/npf/Loopback.c" },
    { kind = "changelog", title = "Npcap source at v0.9988: version.h (5.0.9988.302, string 0.9988) and npf/npcap.rc",
      url = "https://github.com/nmap/npcap/blob/v0.9988/version.h" },
    { kind = "advisory", title = "NdisAllocateMemoryWithTagPriority allocates from non-paged pool (Microsoft Learn)",
      url = "https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisallocatememorywithtagpriority" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
