-- McAfee ENS: mfeavfk.sys leaks non-paged pool on Server 2012 R2.
-- Seed case 1 of kb-seed.md.  Only 18.10.0.189 is known to be affected; no
-- fixed version is confirmed, so none is given.
return {
  id = "PT-0001",
  title = "McAfee ENS mfeavfk.sys non-paged pool leak (tags MFeS, MFe0, NFeS) on Windows Server 2012 R2",
  vendor = "McAfee",
  product = "McAfee Endpoint Security (ENS) Platform / SYSCORE",
  drivers = { "mfeavfk.sys" },
  tags = { "MFeS", "MFe0", "NFeS" },
  pool = "nonpaged",
  affected = {
    {
      id = "mfeavfk-18.10.0.189",
      min = "18.10.0.189", max = "18.10.0.189",
      note = "Observed affected: the incident's driver, file version SYSCORE.18.10.0.189 (product SYSCORE). " ..
             "The sources name the products as ENS 10.6.1.1068 (community thread) and ENS 10.6.x with " ..
             "McAfee Agent 5.6.2.209 (write-up); which mfeavfk.sys file version those installs carried is not stated.",
    },
  },
  fixed_in = nil,
  os = {
    { nt = "6.3", build_min = 9600, build_max = 9600, name = "Windows Server 2012 R2" },
  },
  severity = "critical",
  symptoms = "Non-paged pool grows steadily; poolmon -b shows MFeS at the top, with mfeA and mfe9 also high in the " ..
             "same screen (MFe0 in the community thread; NFeS is a tag string found in mfeavfk.sys). " ..
             "In the community thread about 25 % of 600 Server 2012 R2 hosts leaked.",
  workaround = "Apply the fix from McAfee KB65784 (the sources collected here do not say which ENS / SYSCORE version " ..
               "it names); until then, reboot affected hosts before non-paged pool is exhausted and watch MFeS with poolmon.",
  confidence = "high",
  notes = "Only file version 18.10.0.189 is confirmed; other versions are not known to be affected or fixed. " ..
          "mfeA and mfe9 were high in the same poolmon screen but the sources do not tie them to mfeavfk.sys, so they " ..
          "are not listed as tags of this entry. " ..
          "A later forum post says \"fixed in Release 5.6.0 reference 1253234\", but which product that release " ..
          "belongs to is unclear, so no fixed-in version is recorded.",
  references = {
    { kind = "vendor-kb", title = "McAfee KB65784",
      url = "https://kc.mcafee.com/corporate/index?page=content&id=KB65784", archived_url = nil },
    { kind = "forum", title = "Nonpaged pool memory leak mfeavfk.sys on multiple windows server (McAfee community)",
      url = "https://community.mcafee.com/t5/Endpoint-Security-ENS/Nonpaged-pool-memory-leak-mfeavfk-sys-on-multiple-windows-server/td-p/617169",
      archived_url = "https://web.archive.org/web/20201028165000/https://community.mcafee.com/t5/Endpoint-Security-ENS/Nonpaged-pool-memory-leak-mfeavfk-sys-on-multiple-windows-server/td-p/617169" },
    { kind = "blog", title = "Finding memory leaks with poolmon (Clint Colding)",
      url = "https://medium.com/@clintcolding/finding-memory-leaks-with-poolmon-3da80e479040", archived_url = nil },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
