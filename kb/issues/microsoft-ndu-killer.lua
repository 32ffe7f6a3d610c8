-- Network Data Usage monitor (ndu.sys) grows non-paged pool on hosts with the
-- Killer / MSI network software.  Seed case 38 (kb-seed-2.md).
return {
  id = "PT-0030",
  title = "Windows 10 ndu.sys non-paged pool growth with Killer Network software (large downloads)",
  vendor = "Microsoft",
  product = "Windows Network Data Usage monitor (with Rivet / Intel Killer network software)",
  drivers = { "ndu.sys" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
  },
  severity = "high",
  symptoms = "Non-paged pool grows (4.2 GB in the article's screenshot), especially during large downloads; Srv " ..
             "logs \"unable to allocate from the system nonpaged pool because the pool was empty\".",
  workaround = "Disable NDU (HKLM\\SYSTEM\\CurrentControlSet\\Services\\Ndu, Start = 4, then reboot) or uninstall " ..
               "the Killer suite and keep only the NIC driver.",
  confidence = "medium",
  notes = "Widely repeated, but no vendor KB and no tag in the readable text, so no tag is listed: the entry " ..
          "matches on ndu.sys holding a suspect tag.  qBittorrent#5973: Killer E2200 Gigabit Ethernet with the " ..
          "Killer suite on Windows 10 1607 (build 14393).  The 4.2 GB figure is from a screenshot.  No version " ..
          "range and no fix (workaround only).",
  references = {
    { kind = "blog", title = "woshub: huge memory usage by non-paged pool in Windows (ndu.sys)",
      url = "http://woshub.com/huge-memory-usage-non-paged-pool-windows" },
    { kind = "issue", title = "qbittorrent/qBittorrent issue #5973 (2016-11-23: Killer E2200, Windows 10 1607)",
      url = "https://github.com/qbittorrent/qBittorrent/issues/5973" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
