-- Npcap 1.76 and 1.77: two distinct npcap.sys non-paged pool leaks.
-- Seed case 4 of kb-seed.md.  1.76 leaks at high data rates (fixed in 1.77);
-- 1.77 leaks when the kernel buffer is full (fixed in 1.78).  Tag unknown.
return {
  id = "PT-0004",
  title = "Npcap 1.76 / 1.77 npcap.sys non-paged pool leaks (high data rates; full kernel buffer)",
  vendor = "Nmap Project",
  product = "Npcap",
  drivers = { "npcap.sys" },
  pool = "nonpaged",
  affected = {
    {
      id = "npcap-1.76",
      min = "1.76", max = "1.76",
      note = "Npcap 1.76 only: leak while capturing at high data rates (nmap/npcap#688); fixed in 1.77.",
    },
    {
      id = "npcap-1.77",
      min = "1.77", max = "1.77",
      note = "Npcap 1.77: a different leak, when the kernel buffer is full (nmap/npcap#701); fixed in 1.78.",
    },
  },
  fixed_in = "1.78",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
  },
  severity = "high",
  symptoms = "Non-paged pool held by npcap.sys grows while capturing: with 1.76 at high data rates, with 1.77 " ..
             "when the capture's kernel buffer is full.",
  workaround = "Upgrade Npcap to 1.78 or later (1.77, 2023-09-29, fixes only the 1.76 leak; 1.78, 2023-10-18, " ..
               "fixes the 1.77 leak).",
  confidence = "high",
  notes = "Two leaks in one entry: fixed_in is 1.78, the first release with both fixed.  The pool tag is not " ..
          "stated by the sources (\"?\" in the seed), so no tag is listed and this entry is found by driver only.  " ..
          "The OS is given only as \"Windows 10\" with no build, so the whole Windows 10 range (10.0 builds 10240 " ..
          "to 19045) is recorded.  Versions are Npcap release numbers; that npcap.sys carries the same number " ..
          "as its file version is assumed, not stated.",
  references = {
    { kind = "issue", title = "nmap/npcap issue #688 (leak in 1.76 at high data rates)",
      url = "https://github.com/nmap/npcap/issues/688" },
    { kind = "issue", title = "nmap/npcap issue #701 (leak in 1.77 when the kernel buffer is full)",
      url = "https://github.com/nmap/npcap/issues/701" },
    { kind = "changelog", title = "Npcap CHANGELOG, 1.77 (2023-09-29) and 1.78 (2023-10-18)",
      url = "https://github.com/nmap/npcap/blob/master/CHANGELOG.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
