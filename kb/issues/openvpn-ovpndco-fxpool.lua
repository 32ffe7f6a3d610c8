-- OpenVPN data-channel offload ovpn-dco.sys: the KMDF verifier's FxPoolDump
-- reports one non-paged allocation left when the driver unloads.  Seed case 16;
-- facts re-checked in kb-factcheck.md.  Open; tag not stated.
return {
  id = "PT-0016",
  title = "OpenVPN ovpn-dco.sys leaves one non-paged allocation at unload (KMDF verifier FxPoolDump)",
  vendor = "OpenVPN",
  product = "OpenVPN data-channel offload (ovpn-dco-win)",
  drivers = { "ovpn-dco.sys" },
  pool = "nonpaged",
  severity = "low",
  symptoms = "On uninstall the KMDF verifier's FxPoolDump reports NonPagedBytes 136 in NonPagedAllocations 1 " ..
             "(peak 33,748 bytes in 131 allocations) and bug-checks: one 136-byte allocation is left when the " ..
             "driver unloads.  This is not a leak that grows while the driver runs.",
  workaround = "No fix is stated (the issue is open).  Matters only with the KMDF verifier on, at unload; it does " ..
               "not explain non-paged pool growth on a running host.",
  confidence = "medium",
  notes = "The pool tag is not stated; a KMDF driver that sets no tag uses the KMDF default tag (the KMDF " ..
          "default-tag rule), but which tag ovpn-dco.sys uses is not stated, so none is listed.  No file version " ..
          "and no OS is in the readable excerpt (the earlier \"2022, Windows 10/11\" is not supported), so no " ..
          "version range and no os entry.",
  references = {
    { kind = "issue", title = "OpenVPN/ovpn-dco-win issue #25 (Memory leak caused KMDF verifier bug check on uninstall)",
      url = "https://github.com/OpenVPN/ovpn-dco-win/issues/25" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
