-- Pool tags that third-party and Microsoft drivers define in their own source,
-- found while researching the KB (kb-seed-3.md, "Tag-definition notes").
return {
  id = "TAGS-VENDOR-SOURCES",
  title = "Driver pool tags from the drivers' own source",
  kind = "vendor",
  references = {
    { kind = "changelog", title = "microsoft/msquic src/inc/quic_platform.h (QUIC_POOL_* tags)",
      url = "https://github.com/microsoft/msquic/blob/main/src/inc/quic_platform.h" },
    { kind = "changelog", title = "maharmstone/btrfs src/btrfs_drv.h (ALLOC_TAG, ALLOC_TAG_ZLIB)",
      url = "https://github.com/maharmstone/btrfs/blob/master/src/btrfs_drv.h" },
    { kind = "changelog", title = "mullvad/win-split-tunnel src/defs/types.h (ST_POOL_TAG)",
      url = "https://github.com/mullvad/win-split-tunnel/blob/main/src/defs/types.h" },
    { kind = "changelog", title = "dokan-dev/dokany sys/dokan.h at commit 42fb8f8 (TAG 'AKOD')",
      url = "https://github.com/dokan-dev/dokany/blob/42fb8f8/sys/dokan.h" },
  },
  tags = {
    { tag = "Qc1A", drivers = { "msquic.sys" }, vendor = "Microsoft",
      note = "QUIC_POOL_PLATFORM_SENDCTX 'A1cQ': QUIC platform send contexts", leaks_through = { "PT-0031" } },
    { tag = "QUIC", drivers = { "msquic.sys" }, vendor = "Microsoft", note = "'CIUQ': generic MsQuic allocations" },
    { tag = "MHBt", drivers = { "btrfs.sys" }, vendor = "WinBtrfs", note = "ALLOC_TAG 0x7442484D", leaks_through = { "PT-0033" } },
    { tag = "MHBz", drivers = { "btrfs.sys" }, vendor = "WinBtrfs", note = "ALLOC_TAG_ZLIB 0x7A42484D: zlib buffers" },
    { tag = "SPTU", drivers = { "mullvad-split-tunnel.sys" }, vendor = "Mullvad", note = "ST_POOL_TAG 'UTPS'" },
    { tag = "DOKA", drivers = { "dokan*.sys" }, vendor = "dokan-dev",
      note = "TAG 'AKOD' (2016 sources: every ExAllocatePool of the driver, non-paged)", leaks_through = { "PT-0027" } },
  },
  author = "pooltriage maintainers",
  date = "2026-12-03",
}
