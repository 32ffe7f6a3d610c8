-- OpenVPN data-channel offload ovpn-dco.sys: KMDF FxPoolDump reports leaked
-- non-paged memory (2022).  Seed case 16 of kb-seed.md.  Open; tag unknown.
return {
  id = "PT-0016",
  title = "OpenVPN ovpn-dco.sys non-paged pool leak reported by KMDF FxPoolDump (2022)",
  vendor = "OpenVPN",
  product = "OpenVPN data-channel offload (ovpn-dco-win)",
  drivers = { "ovpn-dco.sys" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 10240, build_max = 19045, name = "Windows 10" },
    { nt = "10.0", build_min = 22000, build_max = 26200, name = "Windows 11" },
  },
  severity = "medium",
  symptoms = "KMDF FxPoolDump reports \"leaked non-paged memory\" for ovpn-dco.sys.",
  workaround = "No fix is stated (the issue is open); reboot periodically and watch non-paged pool.",
  confidence = "low",
  notes = "The pool tag is not stated (\"?\" in the seed); a KMDF driver that sets no tag uses the KMDF default " ..
          "tag (the KMDF default-tag rule), but which tag ovpn-dco.sys uses is not stated, so none is listed.  The sources " ..
          "say only \"2022\": no file version, so no version range.  The issue is open: no fixed version.  The OS is " ..
          "given as \"Windows 10/11\" with no build, recorded as 10.0 builds 10240 to 19045 and 22000 to 26200.",
  references = {
    { kind = "issue", title = "OpenVPN/ovpn-dco-win issue #25 (FxPoolDump: leaked non-paged memory)",
      url = "https://github.com/OpenVPN/ovpn-dco-win/issues/25" },
  },
  author = "pooltriage maintainers",
  date = "2026-11-26",
}
