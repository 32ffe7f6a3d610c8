-- rclone mount over WinFsp: non-paged pool under NpSN / NpSB grows on streaming
-- writes.  Seed case 21 (kb-seed-2.md).  Attribution doubtful: Npcap's own
-- NPF_SRCNB_POOL_TAG shows as NpSN.
return {
  id = "PT-0020",
  title = "Non-paged pool growth under NpSN / NpSB with rclone mount on WinFsp (attribution doubtful)",
  vendor = "WinFsp",
  product = "WinFsp (with rclone mount, WebDAV remote)",
  drivers = { "winfsp-x64.sys" },
  tags = { "NpSN", "NpSB" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 26200, build_max = 26200, name = "Windows 11" },
  },
  severity = "high",
  symptoms = "About 6.6 GB of non-paged pool (PoolMonX) after OBS wrote continuously to an rclone mount; not " ..
             "reclaimed after killing rclone; also grows when rclone runs as an NSSM service.",
  workaround = "None stated (the report is open, waiting for a reply).  Check whether Npcap is installed: NpSN is " ..
               "also Npcap's tag (PT-0004's family).",
  confidence = "low",
  notes = "The reporter calls the tags \"Memory Manager structures\" and blames WinFsp; the owning driver is not " ..
          "established.  Npcap defines NPF_SRCNB_POOL_TAG 'NSpN' (memory_tags.h), which poolmon shows as NpSN, " ..
          "so npcap.sys is an equally plausible owner.  rclone v1.72.1; Windows 11 x64 build 10.0.26200 (the " ..
          "reporter wrote \"10.0.26200.74.62\").  No version range and no fix.",
  references = {
    { kind = "issue", title = "rclone/rclone issue #9075 (2026-01-01: NpSN / NpSB non-paged growth with rclone mount)",
      url = "https://github.com/rclone/rclone/issues/9075" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
