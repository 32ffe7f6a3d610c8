-- Npcap 0.9995: npcap.sys runaway non-paged pool leak (tag 4321) leading to
-- hangs.  Seed case 3; facts re-checked in kb-factcheck.md.  Fixed in 0.9996.
return {
  id = "PT-0003",
  title = "Npcap 0.9995 npcap.sys runaway non-paged pool leak (tag 4321) leading to system hangs",
  vendor = "Nmap Project",
  product = "Npcap",
  drivers = { "npcap.sys" },
  tags = { "4321" },
  pool = "nonpaged",
  -- npcap.rc: FileVersion string = the release ("0.9995"); numeric 5.0.9995.709
  versions = { field = "file_version", scheme = "Npcap release", numeric = "5.{1}.{2}.*" },
  affected = {
    {
      id = "npcap-0.9995",
      min = "0.9995", max = "0.9995",
      note = "Npcap 0.9995 (nmap/npcap#213): FileVersion string \"0.9995\", numeric 5.0.9995.709 " ..
             "(version.h at tag v0.9995).",
    },
  },
  fixed_in = "0.9996",
  severity = "critical",
  symptoms = "Non-paged pool under tag 4321 grows without bound (about 5 % of allocations leak) until the " ..
             "system hangs, in high-traffic or long-running captures; triggered by a low-resources condition.",
  workaround = "Upgrade Npcap to 0.9996 or later (CHANGELOG 2020-08-07: \"Fix a runaway memory leak triggered by " ..
               "low-resources condition leading to system hangs. Fixes #213\"); 0.9996 is 5.0.9996.806.",
  confidence = "high",
  notes = "Tag 4321 is how poolmon shows the source constant '1234' (NPF_ALLOC_TAG in stdafx.h at v0.9995): " ..
          "multi-character constants are stored byte-reversed.  The affected OS is not stated by the sources, " ..
          "so no os entry is given.",
  references = {
    { kind = "issue", title = "nmap/npcap issue #213 (Npcap 0.9995 leaks NonPagedPool, causes system hang)",
      url = "https://github.com/nmap/npcap/issues/213" },
    { kind = "changelog", title = "Npcap CHANGELOG, 0.9996 (2020-08-07)",
      url = "https://github.com/nmap/npcap/blob/master/CHANGELOG.md" },
    { kind = "changelog", title = "Npcap source at v0.9995: version.h (5.0.9995.709, string 0.9995)",
      url = "https://github.com/nmap/npcap/blob/v0.9995/version.h" },
    { kind = "changelog", title = "Npcap source at v0.9996: version.h (5.0.9996.806, string 0.9996)",
      url = "https://github.com/nmap/npcap/blob/v0.9996/version.h" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
