/*
 * pooltriage/live.h - collect stage, live sources: decoders of the buffers
 * NtQuerySystemInformation returns on Windows (SystemPoolTagInformation,
 * SystemModuleInformation), the path rules of the loaded-module list, and
 * the writer of a snapshot in the `poolmon -n` layout.  All pure: they run
 * and are tested on every platform; only engine/platform queries the OS.
 */
#ifndef POOLTRIAGE_LIVE_H
#define POOLTRIAGE_LIVE_H

#include "core.h"
#include "collect.h"

#include <stddef.h>
#include <stdint.h>

/* One SYSTEM_POOLTAG entry. */
typedef struct pt_live_pooltag {
    char tag[5];                  /* NUL-terminated; non-printable bytes as '?' */
    uint64_t paged_allocs, paged_frees, paged_used;
    uint64_t nonpaged_allocs, nonpaged_frees, nonpaged_used;
} pt_live_pooltag;

/* The x64 layouts (documented in the WDK's ntddk/ntexapi, as poolmon reads
 * them): SYSTEM_POOLTAG_INFORMATION is a ULONG count, then at offset 8 the
 * entries of 40 bytes: Tag[4], PagedAllocs, PagedFrees (ULONG), PagedUsed
 * (SIZE_T at 16), NonPagedAllocs, NonPagedFrees (ULONG at 24, 28),
 * NonPagedUsed (SIZE_T at 32). */
#define PT_LIVE_POOLTAG_HEADER 8u
#define PT_LIVE_POOLTAG_ENTRY 40u
/* RTL_PROCESS_MODULES: a ULONG count, then at offset 8 entries of 296
 * bytes: Section, MappedBase, ImageBase (pointers at 0, 8, 16), ImageSize,
 * Flags (ULONG at 24, 28), LoadOrderIndex, InitOrderIndex, LoadCount,
 * OffsetToFileName (USHORT at 32..38), FullPathName[256] at 40. */
#define PT_LIVE_MODULES_HEADER 8u
#define PT_LIVE_MODULE_ENTRY 296u
#define PT_LIVE_MODULE_PATH 256u

/* Decodes a SystemPoolTagInformation buffer of len bytes.  The count is
 * checked against len: a count that claims more entries than the buffer
 * holds is PT_EFORMAT (where "pool tags", message with both figures), as
 * is a buffer shorter than the header.  Entries land in the arena. */
pt_code pt_live_pooltags_decode(pt_arena *arena, const uint8_t *buf, size_t len,
                                pt_live_pooltag **out, size_t *out_count, pt_error *err);

/* One loaded kernel module. */
typedef struct pt_live_module {
    const char *path;       /* FullPathName as the kernel gives it */
    const char *name;       /* the file name part (OffsetToFileName, checked) */
    uint64_t image_base;
    uint32_t image_size;
    uint16_t load_order;
} pt_live_module;

/* Decodes a SystemModuleInformation buffer, with the same checks as the
 * pool-tag decoder; a path without its NUL inside the 256 bytes is cut
 * there, an OffsetToFileName past the path falls back to the last '\'. */
pt_code pt_live_modules_decode(pt_arena *arena, const uint8_t *buf, size_t len,
                               pt_live_module **out, size_t *out_count, pt_error *err);

/* A module path as a Win32 path: "\SystemRoot\x" -> windir\x,
 * "\??\C:\x" -> "C:\x", "\Windows\x" -> sysdrive + "\Windows\x",
 * "system32\x" (relative) -> windir\x; anything else unchanged.  windir
 * like "C:\Windows", sysdrive like "C:".  In the arena; NULL on OOM. */
char *pt_live_module_win32_path(pt_arena *arena, const char *path, const char *windir,
                                const char *sysdrive);

/* Memory figures of the host, in KiB; PT_UNKNOWN when not known. */
typedef struct pt_live_totals {
    int64_t memory_kb, avail_kb, commit_kb, limit_kb, peak_kb;
    int64_t nonpaged_kb, paged_kb;
} pt_live_totals;

/* Writes the tags as a `poolmon -n` snapshot (the two summary lines, the
 * column header, one row per tag and pool type in use, largest first), the
 * layout pt_capture_parse reads on every platform. */
void pt_live_poolmon_text(const pt_live_pooltag *tags, size_t count,
                          const pt_live_totals *totals, pt_buf *out);

#endif /* POOLTRIAGE_LIVE_H */
