-- Npcap 1.76 and 1.77: two npcap.sys non-paged pool leaks, seen under Npcap's
-- own tags NpCD, NpNL, NpNB, NpPD.  Seed cases 4 and 17 (merged); facts
-- re-checked in kb-factcheck.md.  1.77 fixes the 1.76 leak, 1.78 the 1.77 one.
return {
  id = "PT-0004",
  title = "Npcap 1.76 / 1.77 npcap.sys non-paged pool leaks (tags NpCD, NpNL, NpNB, NpPD)",
  vendor = "Nmap Project",
  product = "Npcap",
  drivers = { "npcap.sys" },
  tags = { "NpCD", "NpNL", "NpNB", "NpPD" },
  pool = "nonpaged",
  -- npcap.rc: FileVersion string = the release ("1.77"); numeric 5.1.77.926
  versions = { field = "file_version", scheme = "Npcap release", numeric = "5.{1}.{2}.*" },
  affected = {
    {
      id = "npcap-1.76",
      min = "1.76", max = "1.76",
      note = "Npcap 1.76 only (numeric 5.1.76.719): leak while capturing or sending at high data rates " ..
             "(nmap/npcap#688); fixed in 1.77.",
    },
    {
      id = "npcap-1.77",
      min = "1.77", max = "1.77",
      note = "Npcap 1.77 (numeric 5.1.77.926): a different leak, when the kernel buffer is full " ..
             "(nmap/npcap#701); fixed in 1.78.",
    },
  },
  fixed_in = "1.78",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
  },
  severity = "high",
  symptoms = "Non-paged pool grows with traffic until reboot: frames stored by the driver are never released.  " ..
             "poolmon (with pooltag.txt) shows NpCD, NpNL, NpNB and NpPD growing; Npcap 1.71 to 1.75 and " ..
             "WinPcap 4.1.3 do not leak (drcom4scut#38).",
  workaround = "Upgrade Npcap to 1.78 or later (1.77, 2023-09-29, fixes only the 1.76 leak; 1.78, 2023-10-18, " ..
               "fixes the 1.77 leak).",
  confidence = "high",
  notes = "Two leaks in one entry: fixed_in is 1.78, the first release with both fixed.  The tags are Npcap's own " ..
          "(memory_tags.h at v1.77: NPF_CAP_POOL_TAG 'DCpN', NPF_NBLC_POOL_TAG 'LNpN', NPF_NBC_POOL_TAG 'BNpN', " ..
          "NPF_PACKET_DATA_TAG 'DPpN'), as the drcom4scut reporter saw them with Npcap 1.76 and 1.77.  The OS is " ..
          "given only as \"Windows 10\" (#688), recorded as 10.0 builds 10240 to 19045.  Severity high is our " ..
          "judgement (growth until reboot); no source grades it.",
  references = {
    { kind = "issue", title = "nmap/npcap issue #688 (memory leak since Npcap 1.76, Windows 10)",
      url = "https://github.com/nmap/npcap/issues/688" },
    { kind = "issue", title = "nmap/npcap issue #701 (leak in 1.77 when the kernel buffer is full; resolved in 1.78)",
      url = "https://github.com/nmap/npcap/issues/701" },
    { kind = "issue", title = "SeaLoong/drcom4scut issue #38 (poolmon: NpCD, NpNL, NpNB, NpPD grow with Npcap 1.76 / 1.77)",
      url = "https://github.com/SeaLoong/drcom4scut/issues/38" },
    { kind = "changelog", title = "Npcap CHANGELOG, 1.77 (2023-09-29) and 1.78 (2023-10-18)",
      url = "https://github.com/nmap/npcap/blob/master/CHANGELOG.md" },
    { kind = "changelog", title = "Npcap source: packetWin7/npf/npf/memory_tags.h (the Np* pool tags)",
      url = "https://github.com/nmap/npcap/blob/0fa91a361d017433ad9aeaa66589e4b08dac38cf/packetWin7/npf/npf/memory_tags.h" },
    { kind = "changelog", title = "Npcap source at v1.77: version.h (5.1.77.926, string 1.77)",
      url = "https://github.com/nmap/npcap/blob/v1.77/version.h" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
