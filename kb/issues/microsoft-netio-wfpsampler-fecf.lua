-- WDK sample WFPSampler in proxy mode: one WFP callout context (tag Fecf,
-- netio.sys) leaked per proxied connection.  Seed case 22 (kb-seed-2.md).
return {
  id = "PT-0021",
  title = "WFP callout context leaked per proxied connection (tag Fecf, netio.sys) by WFPSampler-based redirect callouts",
  vendor = "Microsoft",
  product = "Windows-driver-samples network/trans/WFPSampler (and callouts built on it)",
  drivers = { "netio.sys" },
  tags = { "Fecf" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
    { nt = "10.0", build_min = 22000, build_max = 26200, name = "Windows 11" },
  },
  severity = "medium",
  symptoms = "One pending-context block is leaked per proxied connection on FWPM_LAYER_ALE_CONNECT_REDIRECT_V4: " ..
             "FwpsAcquireWritableLayerDataPointer0 takes a reference that FeApplyModifiedLayerData / " ..
             "FwpsReleaseClassifyHandle never drop; !poolused 2 Fecf showed 95 allocations, 13,680 bytes.",
  workaround = "Fix the callout (release the reference the writable layer data takes); no fixed sample version " ..
               "is stated.  The allocation is netio.sys's, so look for a third-party WFP redirect callout on the host.",
  confidence = "medium",
  notes = "High confidence in the mechanism (the reporter's analysis), but it concerns the sample and any " ..
          "third-party redirect callout built on it: netio.sys only allocates.  The OS is \"Windows 10 and Windows " ..
          "11 (clean installs)\" with no build, recorded as the whole Windows 10 and 11 ranges.  The issue was " ..
          "closed; no fix is stated.",
  references = {
    { kind = "issue", title = "microsoft/Windows-driver-samples issue #1191 (cooma05, 2024-06-26: Fecf leaked per proxied connection)",
      url = "https://github.com/microsoft/Windows-driver-samples/issues/1191" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
