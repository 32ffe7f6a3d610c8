-- McAfee ENS: mfeavfk.sys leaks non-paged pool (top tag NFeS / MFeS) on Windows
-- Server 2012 R2.  Seed case 1; facts re-checked in kb-factcheck.md.  The
-- incident's own write-up (0xttfx, 2024-01-23) gives the OS, the product
-- versions, the findstr hit on NFeS and the Wayback link of the forum thread.
return {
  id = "PT-0001",
  title = "McAfee ENS mfeavfk.sys non-paged pool leak (tags NFeS, MFeS) on Windows Server 2012 R2",
  vendor = "McAfee",
  product = "McAfee Endpoint Security (ENS) Platform / SYSCORE",
  drivers = { "mfeavfk.sys" },
  tags = { "NFeS", "MFeS" },
  pool = "nonpaged",
  -- the only version of the driver any source shows is its FileVersion string
  versions = { field = "file_version" },
  affected = {
    {
      id = "mfeavfk-18.10.0.189",
      min = "SYSCORE.18.10.0.189", max = "SYSCORE.18.10.0.189",
      note = "FileVersion string SYSCORE.18.10.0.189: read from the sigcheck screenshot in the 0xttfx " ..
             "write-up only (an image; no text source states it).  The write-up's host ran McAfee Agent " ..
             "5.6.2.209 with ENS Platform 10.6.11910 and ENS Threat Prevention 10.6.11910; the numeric " ..
             "VS_FIXEDFILEINFO version of mfeavfk.sys is not stated anywhere.",
    },
  },
  fixed_in = nil,
  os = {
    { nt = "6.3", build_min = 9600, build_max = 9600, name = "Windows Server 2012 R2" },
  },
  severity = "critical",
  symptoms = "Non-paged pool grows until the server hangs: in the 0xttfx incident poolmon -b showed NFeS at the " ..
             "top with 5,053,046,496 bytes (about 4.7 GB), findstr /m /l /s NFeS *.sys found only mfeavfk.sys, " ..
             "and a night-time routine hung 500+ servers.  The Medium write-up saw MFeS at the top with 2.6 GB " ..
             "of non-paged pool and traced it to mfeavfk.sys.",
  workaround = "No fixed version is confirmed by a readable source: ask McAfee / Trellix support for the fix " ..
               "(the Medium write-up says McAfee fixed it in \"Release 5.6.0 reference 1253234\" without naming " ..
               "the product; the 0xttfx write-up links McAfee KB65784, whose text was not read).  Until then, " ..
               "reboot affected hosts before non-paged pool runs out and watch NFeS and MFeS with poolmon.",
  confidence = "medium",
  notes = "Sourced: NFeS as the top tag and the findstr hit (0xttfx write-up), MFeS (Medium write-up), the OS " ..
          "Windows Server Enterprise 2012 R2 x64 and McAfee Agent 5.6.2.209 / ENS 10.6.11910 (0xttfx write-up), " ..
          "\"fixed in Release 5.6.0 reference 1253234\" (the Medium write-up, not a forum post; product unstated, " ..
          "so no fixed_in).  Screenshot only: the FileVersion string SYSCORE.18.10.0.189 (sigcheck image in the " ..
          "0xttfx write-up) and the tags mfeA and mfe9 high in the same poolmon screen (not listed as tags).  " ..
          "Not verified: MFe0, ENS 10.6.1.1068 and \"25 % of 600 Server 2012 R2 hosts\", all claimed from the " ..
          "McAfee community thread, whose text could not be read (live page gone, Wayback copy not read); MFe0 " ..
          "is therefore not listed as a tag.  Confidence is medium because the driver version rests on a screenshot.",
  references = {
    { kind = "blog", title = "RTFM & Aleatoriedades - Windows Server Troubleshooting (0xttfx, 2024-01-23)",
      url = "https://www.tabnews.com.br/0xttfx/rtfm-e-aleatoriedades-windows-server-troubleshooting" },
    { kind = "blog", title = "RTFM & Aleatoriedades - Windows Server Troubleshooting (0xttfx, author's own copy)",
      url = "http://0xttfx.tcpip.net.br/posts/rtfmaleatoriedades-windowsservertroubleshooting/" },
    { kind = "blog", title = "Finding memory leaks with poolmon (Clint Colding, 2019-06-02)",
      url = "https://medium.com/@clintcolding/finding-memory-leaks-with-poolmon-3da80e479040" },
    { kind = "forum", title = "Nonpaged pool memory leak mfeavfk.sys on multiple windows server (McAfee community; linked by the 0xttfx write-up)",
      url = "https://community.mcafee.com/t5/Endpoint-Security-ENS/Nonpaged-pool-memory-leak-mfeavfk-sys-on-multiple-windows-server/td-p/617169",
      archived_url = "https://web.archive.org/web/20201028165000/https://community.mcafee.com/t5/Endpoint-Security-ENS/Nonpaged-pool-memory-leak-mfeavfk-sys-on-multiple-windows-server/td-p/617169" },
    { kind = "vendor-kb", title = "McAfee KB65784 (linked by the 0xttfx write-up; content not read)",
      url = "https://kc.mcafee.com/corporate/index?page=content&id=KB65784" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
