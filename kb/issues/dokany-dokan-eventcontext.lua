-- Dokany: the Dokan kernel driver leaks an event context (non-paged, tag DOKA)
-- per file-lock operation when FileLockInUserMode is off.  Seed case 34
-- (kb-seed-2.md) with the update in kb-seed-3.md.  Fixed by PR #290.
return {
  id = "PT-0027",
  title = "Dokany kernel driver leaks an event context per file-lock operation (non-paged, tag DOKA)",
  vendor = "dokan-dev",
  product = "Dokany",
  drivers = { "dokan.sys", "dokan1.sys" },
  tags = { "DOKA" },
  pool = "nonpaged",
  severity = "medium",
  symptoms = "One event context of non-paged pool is leaked per file lock operation when FileLockInUserMode is " ..
             "false (\"It's leaking non-paged kernel memory\").",
  workaround = "Upgrade Dokany to v1.0.0-RC4 or later, the first release tag that contains the fix (commit " ..
               "42fb8f8 \"stop lock operations from leaking eventContext\", PR #290, 2016-07-18).",
  confidence = "medium",
  notes = "Tag: at the fix commit sys/dokan.h defines TAG (ULONG)'AKOD' and routes ExAllocatePool to " ..
          "ExAllocatePoolWithTag(NonPagedPool, size, TAG), so the driver's allocations show as DOKA.  Driver file " ..
          "name: not stated by the issue; dokan.sys and dokan1.sys are the names of that era.  No file version is " ..
          "stated, so no version range; the OS is not stated.",
  references = {
    { kind = "issue", title = "dokan-dev/dokany issue #287 (event context leaked per file lock operation)",
      url = "https://github.com/dokan-dev/dokany/issues/287" },
    { kind = "changelog", title = "dokan-dev/dokany pull request #290 (2016-07-18: stop lock operations from leaking eventContext)",
      url = "https://github.com/dokan-dev/dokany/pull/290" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
