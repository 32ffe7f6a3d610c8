-- Sysinternals Sysmon 7.01 / 7.03: SysmonDrv.sys leaks non-paged pool (tag SysR)
-- on every configuration reload.  Seed case 18 (kb-seed-2.md).
return {
  id = "PT-0017",
  title = "Sysmon 7.01 / 7.03 SysmonDrv.sys non-paged pool leak (tag SysR) on every configuration reload",
  vendor = "Microsoft Sysinternals",
  product = "Sysmon",
  drivers = { "SysmonDrv.sys" },
  tags = { "SysR" },
  pool = "nonpaged",
  severity = "medium",
  symptoms = "Each \"Sysmon64.exe -c <config>\" reload allocates a new non-paged area and never frees the old one: " ..
             "SysR reached 252,313,744 bytes (about 240 MB) in a one-hour reload loop; a 4 GB VM with 180+ days " ..
             "of uptime.",
  workaround = "Reload the configuration rarely (each reload leaks), and reboot to recover the pool; no fixed " ..
               "version is stated.",
  confidence = "medium",
  notes = "One reporter, with a reproducer.  The report names Sysmon 7.01 and 7.03 (product versions); the " ..
          "SysmonDrv.sys file version is not stated, so no version range.  The issue was closed; no fix is " ..
          "stated.  The OS is not stated.",
  references = {
    { kind = "issue", title = "MicrosoftDocs/sysinternals issue #92 (uncletimmy3, 2018-06-08: SysR grows on each config reload)",
      url = "https://github.com/MicrosoftDocs/sysinternals/issues/92" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
