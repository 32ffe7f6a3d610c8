-- MsQuic on Windows Server 2022 (IIS with HTTP/3): non-paged pool under Qc1A
-- (QUIC platform send contexts) reached about 34 GB.  Seed case 39 (kb-seed-3.md).
return {
  id = "PT-0031",
  title = "MsQuic (msquic.sys) non-paged pool leak under tag Qc1A on Windows Server 2022 with HTTP/3 in IIS",
  vendor = "Microsoft",
  product = "MsQuic (HTTP/3 in IIS)",
  drivers = { "msquic.sys" },
  tags = { "Qc1A" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 20348, build_max = 20348, name = "Windows Server 2022" },
  },
  severity = "critical",
  symptoms = "Qc1A Nonp 92,404,489 allocations, 6,827 frees, 34,002,339,616 bytes (368 per allocation): the " ..
             "server reached 100 % memory twice, one tag holding about 32 GB of non-paged pool.",
  workaround = "Disable QUIC (HTTP/3) in IIS, as the reporter did; no fix is stated (the issue was closed).",
  confidence = "medium",
  notes = "Tag to driver is certain: src/inc/quic_platform.h defines QUIC_POOL_PLATFORM_SENDCTX 'A1cQ' (shown " ..
          "as Qc1A).  The file name msquic.sys is inferred (the report says \"msquic 1.0.4\" on WS2022 with QUIC " ..
          "in IIS, in kernel non-paged pool); its FileVersion is not stated, so no version range.  Single report, " ..
          "IIS with ASP.NET Core 6.0, \"WS2022 latest updates\".",
  references = {
    { kind = "issue", title = "microsoft/msquic issue #2658 (Nuklon, 2022-04-24: Qc1A 34 GB non-paged)",
      url = "https://github.com/microsoft/msquic/issues/2658" },
    { kind = "changelog", title = "microsoft/msquic src/inc/quic_platform.h (pool tags Qc00-Qc51, QUIC)",
      url = "https://github.com/microsoft/msquic/blob/main/src/inc/quic_platform.h" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
