-- KMDF default pool tags.  When a KMDF driver sets no DriverPoolTag, the
-- framework tags the driver's allocations with the first four characters of its
-- service name (after a leading WDF), or FxDr when fewer than four are left.
-- The kmdf-default-tag rule derives the tag per driver; these are the known ones.
return {
  id = "TAGS-KMDF",
  title = "KMDF default pool tags",
  kind = "vendor",
  references = {
    { kind = "advisory", title = "WDF_DRIVER_CONFIG.DriverPoolTag (Microsoft Learn)",
      url = "https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/wdfdriver/ns-wdfdriver-_wdf_driver_config" },
    { kind = "blog", title = "JellyKuo blog: 0x0 AcpWdfWorkItem leak (_FX_DRIVER_GLOBALS.Tag = 0x61646d61, amda)",
      url = "https://github.com/JellyKuo/JellyKuo-Web/blob/dbc98ed017f1b4c61b1dc6d1c69ef79dadf502e5/src/content/blog/20241114-0x0-acpwdfworkitem-leak.md" },
  },
  tags = {
    { tag = "FxDr", vendor = "Microsoft",
      note = "KMDF default tag of every KMDF driver whose service name leaves fewer than 4 characters: a set of " ..
             "candidates, not one driver" },
    { tag = "amda", drivers = { "amdacpbus2.sys" }, vendor = "AMD",
      note = "KMDF default tag of the service amdacpbus2 (framework objects such as work items)",
      leaks_through = { "PT-0006" } },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
