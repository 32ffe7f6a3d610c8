/* fuzz_capture.c - libFuzzer target for the collect stage: the input is
 * parsed as capture text with format auto-detection, then decoded as a
 * capture file's bytes and parsed again.  Seeds: tests/fixtures/pool. */
#include "pooltriage/pooltriage.h"

#include <stddef.h>
#include <stdint.h>

static void parse(pt_arena *arena, const char *text, size_t len)
{
    pt_snapshot snap;
    pt_error err = {0};
    if (pt_capture_parse(arena, "fuzz", text, len, PT_FMT_UNKNOWN, &snap, &err) != PT_OK)
        return;
    for (size_t i = 0; i < snap.row_count; i++)
        if (snap.rows[i].tag[4] != '\0')
            __builtin_trap();
    (void)pt_snapshot_pool_bytes(&snap, PT_POOL_NONPAGED);
    (void)pt_snapshot_pool_bytes(&snap, PT_POOL_PAGED);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return 0;
    parse(arena, (const char *)data, len);
    char *text = NULL;
    size_t text_len = 0;
    pt_error err = {0};
    if (pt_text_decode(arena, data, len, &text, &text_len, &err) == PT_OK)
        parse(arena, text, text_len);
    pt_arena_free(arena);
    return 0;
}
