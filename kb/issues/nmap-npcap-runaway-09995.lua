-- Npcap 0.9995: npcap.sys runaway non-paged pool leak (tag 4321) leading to hangs.
-- Seed case 3 of kb-seed.md.  Observed in 0.9995; fixed in 0.9996 per the
-- Npcap CHANGELOG.  The OS is not stated by the sources.
return {
  id = "PT-0003",
  title = "Npcap 0.9995 npcap.sys runaway non-paged pool leak (tag 4321) leading to system hangs",
  vendor = "Nmap Project",
  product = "Npcap",
  drivers = { "npcap.sys" },
  tags = { "4321" },
  pool = "nonpaged",
  affected = {
    {
      id = "npcap-0.9995",
      min = "0.9995", max = "0.9995",
      note = "Observed affected: Npcap 0.9995 (nmap/npcap#213).",
    },
  },
  fixed_in = "0.9996",
  severity = "critical",
  symptoms = "Non-paged pool under tag 4321 grows without bound (a \"runaway memory leak\") until the system hangs.",
  workaround = "Upgrade Npcap to 0.9996 or later (CHANGELOG 2020-08-07).",
  confidence = "high",
  notes = "Tag 4321 is how poolmon shows the source constant '1234' (NPF_ALLOC_TAG): multi-character constants " ..
          "are stored byte-reversed.  The affected OS is not stated by the sources (\"?\" in the seed), so no os " ..
          "entry is given.  Versions are Npcap release numbers; that npcap.sys carries the same number as its " ..
          "file version is assumed, not stated.",
  references = {
    { kind = "issue", title = "nmap/npcap issue #213 (runaway non-paged pool leak in 0.9995)",
      url = "https://github.com/nmap/npcap/issues/213" },
    { kind = "changelog", title = "Npcap CHANGELOG, 0.9996 (2020-08-07)",
      url = "https://github.com/nmap/npcap/blob/master/CHANGELOG.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
