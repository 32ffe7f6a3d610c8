-- Windows 11 25H2 (build 26200): non-paged pool under NtFC (ntfs.sys) grows with
-- WSL2, Docker VHDX or apps that run a WSL-based VM (Claude Desktop's Cowork VM,
-- OpenAI Codex desktop); wcifs.sys is suspected.  Seed cases 8 and 28 (merged);
-- facts re-checked in kb-factcheck.md.  Closed as not planned (2026-06-17).
return {
  id = "PT-0008",
  title = "Windows 11 25H2 ntfs.sys non-paged pool leak (tag NtFC) with WSL2, Docker VHDX or WSL-based app VMs (wcifs.sys suspected)",
  vendor = "Microsoft",
  product = "Windows (NTFS; WSL2 / Docker VHDX)",
  drivers = { "ntfs.sys", "wcifs.sys" },
  tags = { "NtFC" },
  pool = "nonpaged",
  versions = { field = "numeric" },
  affected = {
    {
      id = "ntfs-10.0.26100.8875",
      min = "10.0.26100.8875", max = "10.0.26100.8875",
      note = "ntfs.sys 10.0.26100.8875 on Windows 11 26200.x (microsoft/WSL#41644 environment table; a comment " ..
             "on #41296).  No wcifs.sys version is given for the NtFC reports themselves.",
    },
  },
  os = {
    { nt = "10.0", build_min = 26200, build_max = 26200, name = "Windows 11 25H2" },
  },
  severity = "high",
  symptoms = "Non-paged pool under NtFC grows fast (21-23 GB/hour in WSL#40804; about 2.2 GB/hour, 19.6 GB in 9 " ..
             "hours, with Claude Desktop MSIX 1.25927.0.0 in claude-code#85480; 144 bytes per allocation, allocs " ..
             "to frees 134M:484 in #55361) while WSL2, Docker with VHDX disks, or an app's WSL-based VM runs; it " ..
             "stops when the trigger closes.  NtFC grows in lockstep with WCsc (PT-0009).",
  workaround = "No fix: the WSL report was closed as not planned (2026-06-17).  Stop WSL2, Docker or the app that " ..
               "runs the VM when not needed, and reboot (a full restart: one report says shutdown with fast " ..
               "startup does not clear it).",
  confidence = "medium",
  notes = "NtFC is ntfs.sys's own tag (byte dump 4E 74 46 43 in #40804; one comment writes NtfC), but the cause " ..
          "is not settled: wcifs.sys is suspected (NtFC grows with WCsc, Silex's comment on #40804), so it is " ..
          "listed with that caveat and the version range applies to ntfs.sys.  Builds: #40804 reports 26200.8655 " ..
          "(labelled \"24H2\" by the reporter, but 26200 is 25H2), #41644 26200.9457, the Claude report 26200.9457 " ..
          "with wcifs.sys 10.0.26100.9278; no source reports a 26100 build, so only 26200 is recorded.  Other " ..
          "triggers: Claude Desktop (MSIX) with its Cowork VM (claude-code#85480, #55361, #94198; the Claude Code " ..
          "CLI is not affected) and the OpenAI Codex desktop app 26.908.4834.0 (codex#45947: NtFC 2,749,905,184 " ..
          "bytes).  Reports of the triggers are closed as duplicates or open; none states a fix.",
  references = {
    { kind = "issue", title = "microsoft/WSL issue #40804 (Pool tag NtFC, 21-23 GB/hr with WSL2)",
      url = "https://github.com/microsoft/WSL/issues/40804" },
    { kind = "issue", title = "microsoft/WSL issue #41644 (closed as not planned 2026-06-17; ntfs.sys 10.0.26100.8875)",
      url = "https://github.com/microsoft/WSL/issues/41644" },
    { kind = "issue", title = "anthropics/claude-code issue #85480 (Claude Desktop MSIX: NtFC ~2.2 GB/hour)",
      url = "https://github.com/anthropics/claude-code/issues/85480" },
    { kind = "issue", title = "anthropics/claude-code issue #55361 (NtFC >98 % of growth, 144 bytes per allocation)",
      url = "https://github.com/anthropics/claude-code/issues/55361" },
    { kind = "issue", title = "anthropics/claude-code issue #94198 (25H2 26200.9457, wcifs.sys 10.0.26100.9278)",
      url = "https://github.com/anthropics/claude-code/issues/94198" },
    { kind = "issue", title = "openai/codex issue #45947 (Codex desktop 26.908.4834.0: NtFC 2.7 GB)",
      url = "https://github.com/openai/codex/issues/45947" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
