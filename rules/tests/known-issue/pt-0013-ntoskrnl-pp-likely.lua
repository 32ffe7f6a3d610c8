-- PT-0013 on Windows 10 2004: "Pp  " held by ntoskrnl.exe.  PT-0010 lists the
-- same tag and driver but other OS builds, so PT-0013 is the one named.
return {
  facts = {
    host = { os = "10.0.19041" },
    suspects = { { tag = "Pp  ", pool = "paged", bytes = 400000000, share = 0.5 } },
    drivers = { { name = "ntoskrnl.exe", file_version = "10.0.19041.508", file_version_numeric = "10.0.19041.508" } },
    attributions = { { tag = "Pp  ", candidates = { { driver = 1 } } } },
  },
  expect = {
    { level = "likely", tag = "Pp  ", kb = "PT-0013", driver = "ntoskrnl.exe" },
  },
}
