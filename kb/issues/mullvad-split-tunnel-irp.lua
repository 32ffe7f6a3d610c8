-- Mullvad VPN split tunneling: with mullvad-split-tunnel.sys 1.3.0.0 the
-- kernel's IRP tag ("Irp ") grows to ~13 GB of non-paged pool.  Seed case 41
-- (kb-seed-3.md).
return {
  id = "PT-0032",
  title = "Mullvad VPN split tunneling (mullvad-split-tunnel.sys 1.3.0.0): non-paged pool growth under \"Irp \"",
  vendor = "Mullvad",
  product = "Mullvad VPN app (split tunneling)",
  drivers = { "mullvad-split-tunnel.sys" },
  tags = { "Irp " },
  pool = "nonpaged",
  -- src/resource.rc: FILEVERSION from src/version.h (1,3,0,0), FileVersion "1.3.0.0"
  versions = { field = "numeric" },
  affected = {
    {
      id = "mullvad-split-tunnel-1.3.0.0",
      min = "1.3.0.0", max = "1.3.0.0",
      note = "Driver 1.3.0.0 as stated by the reporter (Mullvad VPN app 2026.3); version.h at commit 0a0eb97 " ..
             "defines 1.3.0.0.",
    },
  },
  os = {
    { nt = "10.0", build_min = 26200, build_max = 26200, name = "Windows 11 25H2" },
  },
  severity = "high",
  symptoms = "!poolused: \"Irp \" 10,862,955 allocations, about 13.3 GB of non-paged pool while a network-heavy " ..
             "app in the split tunnel (VS Code) ran; 3,913 allocations / 2.9 MB after reboot; never freed without " ..
             "a reboot.",
  workaround = "None stated (the issue is open): stop split tunneling for network-heavy apps and reboot to " ..
               "recover the pool.",
  confidence = "medium",
  notes = "\"Irp \" is a generic kernel tag: the driver's own tag is ST_POOL_TAG 'UTPS' (shown as SPTU), which " ..
          "is not the growing one; the attribution is by correlation, from one reporter.  The driver CHANGELOG " ..
          "for 1.3.0.0 (2026-03-25) and 1.2.5.0 (2025-12-09) lists other leak fixes, not this one.",
  references = {
    { kind = "issue", title = "mullvad/mullvadvpn-app issue #10738 (piperun, 2026-07-09: Irp 13.3 GB non-paged)",
      url = "https://github.com/mullvad/mullvadvpn-app/issues/10738" },
    { kind = "changelog", title = "mullvad/mullvadvpn-app pull request #10384 (driver 1.3.0.0 in the app, 2026-05-08)",
      url = "https://github.com/mullvad/mullvadvpn-app/pull/10384" },
    { kind = "changelog", title = "mullvad/win-split-tunnel CHANGELOG.md and src/version.h (commit 0a0eb97)",
      url = "https://github.com/mullvad/win-split-tunnel/blob/0a0eb97/CHANGELOG.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
