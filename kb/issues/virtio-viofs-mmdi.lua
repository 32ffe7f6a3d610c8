-- virtio-win virtio-fs (viofs.sys) leaks MDL structures, seen as non-paged pool
-- under the memory manager's tag Mmdi, under heavy virtio-fs I/O.  Seed case 20
-- (kb-seed-2.md) with the update in kb-seed-3.md (owner viofs.sys, not WinFsp).
return {
  id = "PT-0019",
  title = "virtio-win viofs.sys leaks MDL structures (tag Mmdi, non-paged) under heavy virtio-fs I/O",
  vendor = "virtio-win",
  product = "virtio-win guest tools (virtio-fs)",
  drivers = { "viofs.sys" },
  tags = { "Mmdi" },
  pool = "nonpaged",
  os = {
    { nt = "10.0", build_min = 19045, build_max = 19045, name = "Windows 10 22H2 (KVM guest)" },
  },
  severity = "high",
  symptoms = "Mmdi is 4.6 MB after boot and grows with virtio-fs I/O (1M+ files, indexing, rclone) until " ..
             "applications crash.",
  workaround = "Update the virtio-win guest drivers to a build that contains commit f604edf2 \"[viofs] Fix MDL " ..
               "structure memory leak\" (2024-01-10; first repository tag mm268, 2024-02-28).",
  confidence = "medium",
  notes = "Seen with WinFsp 2.0.23075.0 and virtio-win guest tools 0.1.240 on Windows 10 Pro 22H2 19045.3693.  " ..
          "The reporter suspected WinFsp (winfsp#534), but virtio-win commit f604edf2 (\"Resolves: " ..
          "kvm-guest-drivers-windows#1004\") adds the missing ExFreePool after MmFreePagesFromMdl in " ..
          "FreeVirtFsRequest (viofs/pci/viofs.c): the MDLs from MmAllocatePagesForMdlEx were never freed, which " ..
          "is what Mmdi counts.  Which virtio-win ISO release carries mm268 is not stated, and viofs.sys file " ..
          "versions are not stated, so no version range.  Mmdi is a memory-manager tag: a scan of viofs.sys will " ..
          "not find it.",
  references = {
    { kind = "issue", title = "virtio-win/kvm-guest-drivers-windows issue #1004 (2023-11-29)",
      url = "https://github.com/virtio-win/kvm-guest-drivers-windows/issues/1004" },
    { kind = "issue", title = "winfsp/winfsp issue #534 (christophocles, 2023-12-02: Mmdi grows with virtio-fs I/O)",
      url = "https://github.com/winfsp/winfsp/issues/534" },
    { kind = "changelog", title = "virtio-win commit f604edf2: [viofs] Fix MDL structure memory leak (2024-01-10)",
      url = "https://github.com/virtio-win/kvm-guest-drivers-windows/commit/f604edf27b78b75e919bd0b85ffded8b11f3687d" },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
