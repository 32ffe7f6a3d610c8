-- Npcap 0.9988: npcap.sys leaks pool (tags "Mdl ", NPBL) in the loopback WFP filter.
-- Seed case 2 of kb-seed.md.  Observed in 0.9988 only (0.9987 was fine);
-- fixed in 0.9989 per the Npcap CHANGELOG.
return {
  id = "PT-0002",
  title = "Npcap 0.9988 npcap.sys pool leak in the loopback WFP filter (tags \"Mdl \", NPBL)",
  vendor = "Nmap Project",
  product = "Npcap",
  drivers = { "npcap.sys" },
  tags = { "Mdl ", "NPBL" },
  pool = "paged",
  affected = {
    {
      id = "npcap-0.9988",
      min = "0.9988", max = "0.9988",
      note = "Observed affected: Npcap 0.9988 (nmap/nmap#1966, #1976); the reporter says 0.9987 was fine.",
    },
  },
  fixed_in = "0.9989",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
  },
  severity = "medium",
  symptoms = "Pool held under the tags \"Mdl \" (the kernel's memory descriptor lists) and NPBL grows while Npcap " ..
             "0.9988 is installed; the leak is in the loopback WFP filter.",
  workaround = "Upgrade Npcap to 0.9989 or later (CHANGELOG 2020-03-19: \"Fix a memory leak in the Loopback WFP filter\").",
  confidence = "medium",
  notes = "Pool type is paged per the reporter only; \"Mdl \" is a generic kernel tag, so its growth alone does not " ..
          "point at npcap.sys.  The OS is given only as \"Windows 10 x64\" with no build, so the whole Windows 10 " ..
          "range (10.0 builds 10240 to 19045) is recorded.  Versions are Npcap release numbers; that npcap.sys " ..
          "carries the same number as its file version is assumed, not stated by the sources.",
  references = {
    { kind = "issue", title = "nmap/nmap issue #1966 (Npcap 0.9988 pool leak)",
      url = "https://github.com/nmap/nmap/issues/1966" },
    { kind = "issue", title = "nmap/nmap issue #1976",
      url = "https://github.com/nmap/nmap/issues/1976" },
    { kind = "changelog", title = "Npcap CHANGELOG, 0.9989 (2020-03-19): Fix a memory leak in the Loopback WFP filter",
      url = "https://github.com/nmap/npcap/blob/master/CHANGELOG.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
