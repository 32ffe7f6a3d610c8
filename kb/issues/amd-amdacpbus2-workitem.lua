-- AMD audio co-processor bus driver amdacpbus2.sys leaks KMDF work items in
-- non-paged pool: tag amda (the KMDF default tag from the service name), with IoWI.
-- Seed case 6 of kb-seed.md.  Only the build path names a version (gfx 24.20).
return {
  id = "PT-0006",
  title = "AMD amdacpbus2.sys non-paged pool leak of KMDF work items (tag amda, with IoWI)",
  vendor = "AMD",
  product = "AMD audio co-processor bus driver",
  drivers = { "amdacpbus2.sys" },
  tags = { "amda", "IoWI" },
  pool = "nonpaged",
  severity = "high",
  symptoms = "Non-paged pool under tag amda grows, and the kernel's I/O work item tag IoWI grows with it: " ..
             "amdacpbus2.sys creates KMDF work items (AcpWdfWorkItem) that are never freed.  In the blog's live " ..
             "dump: amda 5,768,754 allocations, 1,938,325,232 bytes; IoWI 646,239,888 bytes, after playing music " ..
             "in Edge overnight.",
  workaround = "No fixed version is known; reboot periodically and watch amda and IoWI with poolmon.",
  confidence = "medium",
  notes = "amda is not in the driver's own code: it is the KMDF default pool tag, the first four characters of " ..
          "the service name amdacpbus2; see the KMDF default-tag rule.  The only version information is the build path " ..
          "in the debugger stack (gfx driver 24.20), which is not a file version, so no affected range is " ..
          "recorded.  Fixed version: not stated.  One source, a debugging blog post.  The blog shows the tag in " ..
          "_FX_DRIVER_GLOBALS.Tag = 0x61646d61; that it comes from the service name is our inference from the " ..
          "WDF_DRIVER_CONFIG.DriverPoolTag documentation, not the blog's statement.  The blog names no OS, so no " ..
          "os entry is given.",
  references = {
    { kind = "blog", title = "JellyKuo blog: 0x0 AcpWdfWorkItem leak (2024-11-14)",
      url = "https://github.com/JellyKuo/JellyKuo-Web/blob/dbc98ed017f1b4c61b1dc6d1c69ef79dadf502e5/src/content/blog/20241114-0x0-acpwdfworkitem-leak.md" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
