/* fuzz_scan_cache.c - libFuzzer target for the scan stage's cache reader
 * (scan_cache.c): the input becomes the hits and facts blobs of a row of a
 * real cache file (written through a second SQLite connection), is read
 * back with pt_scan_cache_get, put again and read again.  Input: byte 0
 * flags (1: hits NULL, 2: facts NULL), u32 LE length of the hits blob,
 * the hits blob, then the facts blob.  Seeds: tests/fuzz/seeds/fuzz_scan_cache. */
#include "pooltriage/pooltriage.h"
#include "scan_int.h"
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char tags[][5] = {"MFeS", "WDiv", "CtDk", "Ntfr", "Wfpn"};
static pt_tagset *set;
static pt_scan_cache *cache;
static sqlite3 *db;
static sqlite3_stmt *update;
static char dir[64];

static const pt_file_key key_x = {"x", 1, 2, 3}, key_y = {"y", 4, 5, 6};

static void cleanup(void)
{
    char path[128];
    sqlite3_finalize(update);
    sqlite3_close(db);
    pt_scan_cache_close(cache);
    pt_tagset_free(set);
    const char *side[] = {"", "-journal", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
        snprintf(path, sizeof path, "%s/scan.sqlite%s", dir, side[i]);
        pt_platform_remove(path);
    }
    pt_platform_rmdir(dir);
}

/* A cache holding row "x" for the tag set, opened for reading it back. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/fuzz_scan_cache_XXXXXX",
             pt_platform_is_dir("/dev/shm") ? "/dev/shm" : "/tmp");
    char path[128];
    pt_error err = {0};
    if (pt_platform_make_temp_dir(dir) == NULL)
        abort();
    snprintf(path, sizeof path, "%s/scan.sqlite", dir);
    set = pt_tagset_new(tags, sizeof tags / sizeof tags[0]);
    if (set == NULL || pt_scan_cache_open(path, &cache, &err) != PT_OK ||
        pt_scan_cache_begin(cache, set) != PT_OK ||
        pt_scan_cache_put(cache, &key_x, NULL, 0, NULL) != PT_OK ||
        pt_scan_cache_end(cache) != PT_OK || pt_scan_cache_begin(cache, set) != PT_OK)
        abort();
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "UPDATE files SET hits = ?, facts = ? WHERE path = 'x'", -1,
                           &update, NULL) != SQLITE_OK)
        abort();
    atexit(cleanup);
    return 0;
}

static void check_str(const char *s)
{
    if (s != NULL)
        (void)strlen(s);
}

static void check(const pt_cache_entry *e)
{
    if (!e->found && (e->has_tags || e->hit_count || e->described))
        abort();
    for (size_t i = 0; i < e->hit_count; i++) {
        const pt_file_tags *ft = &e->hits[i];
        if (ft->tag_index >= pt_tagset_count(set) || ft->offset_count > PT_MAX_HITS_PER_TAG)
            abort();
        for (uint32_t k = 0; k < ft->offset_count; k++) {
            const pt_hit_window *w = &ft->windows[k];
            if (w->before > PT_HIT_BEFORE || w->len > PT_HIT_WINDOW || w->before > ft->offsets[k])
                abort();
        }
    }
    if (!e->described)
        return;
    const pt_driver *d = &e->facts;
    const pt_pe_info *pe = &d->pe;
    if (strlen(d->sha256) > 64 || pe->section_count > PT_MAX_SECTIONS ||
        pe->string_table_count > PT_MAX_STRING_TABLES)
        abort();
    check_str(d->error);
    for (size_t i = 0; i < pe->section_count; i++)
        if (strlen(pe->sections[i].name) > 8)
            abort();
    for (size_t i = 0; i < pe->string_table_count; i++) {
        const pt_string_table *t = &pe->string_tables[i];
        if (strlen(t->key) > 8)
            abort();
        check_str(t->company_name);
        check_str(t->product_version);
    }
    (void)pt_pe_company(pe);
    (void)pt_pe_file_version(pe);
    if (d->signer != NULL && d->signer->status != PT_SIG_SIGNED &&
        d->signer->status != PT_SIG_INVALID && d->signer->status != PT_SIG_UNSIGNED)
        abort();
}

static void bind(int col, int is_null, const uint8_t *p, size_t n)
{
    if (is_null)
        sqlite3_bind_null(update, col);
    else
        sqlite3_bind_blob(update, col, n ? (const void *)p : "", (int)n, SQLITE_STATIC);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 5 || len > (1u << 24))
        return 0;
    uint8_t flags = data[0];
    size_t hits_len = (size_t)data[1] | (size_t)data[2] << 8 | (size_t)data[3] << 16 |
                      (size_t)data[4] << 24;
    const uint8_t *hits = data + 5;
    if (hits_len > len - 5)
        hits_len = len - 5;
    const uint8_t *facts = hits + hits_len;
    size_t facts_len = len - 5 - hits_len;
    sqlite3_reset(update);
    bind(1, flags & 1, hits, hits_len);
    bind(2, flags & 2, facts, facts_len);
    if (sqlite3_step(update) != SQLITE_DONE)
        abort();
    sqlite3_reset(update);
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return 0;
    pt_cache_entry e;
    if (pt_scan_cache_get(cache, arena, &key_x, &e) != PT_OK)
        abort(); /* a damaged row is a miss, never an error */
    check(&e);
    /* what was read is written and read back the same way */
    if (pt_scan_cache_put(cache, &key_y, e.hits, e.hit_count, e.described ? &e.facts : NULL) !=
            PT_OK ||
        pt_scan_cache_end(cache) != PT_OK)
        abort();
    pt_cache_entry again;
    if (pt_scan_cache_get(cache, arena, &key_y, &again) != PT_OK || !again.found ||
        again.hit_count != e.hit_count || again.described != e.described)
        abort();
    check(&again);
    pt_arena_free(arena);
    return 0;
}
