/*
 * scan_cache.c - the scan stage's cache: SQLite keyed by path, size, mtime
 * (ns) and inode, holding each file's tag hits (for the tag set it was last
 * scanned with) and the facts of the files that were described.  The file
 * is untrusted: defensive mode, no trusted schema, bounds-checked blobs; a
 * cache that is not ours or is corrupt is deleted and rebuilt.
 */
#include "pooltriage/pooltriage.h"
#include "scan_int.h"
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

/* Bump when what is stored changes meaning; struct sizes are part of the
 * format too, so a new field in pt_pe_info or pt_driver rebuilds the cache.
 * 2: the embedded signer (put_signer).  3: hits keep the bytes around each
 * offset instead of evidence (attribution reads them).  4: what Windows
 * concludes of the signature (WinVerifyTrust is the costly part there). */
#define CACHE_FORMAT 4

struct pt_scan_cache {
    sqlite3 *db;
    char path[PATH_MAX];
    bool rebuilt;
    bool broken;             /* corrupt mid-run: deleted at close */
    bool in_tx;
    const pt_tagset *set;
    uint8_t *set_blob;       /* the set's tags sorted, 4 bytes each */
    size_t set_len;
    int64_t set_id;          /* its row in tagsets, 0 until stored */
    int64_t *supersets;      /* tagsets rows holding every tag of the set */
    size_t superset_count;
    sqlite3_stmt *get, *put;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tagsets(id INTEGER PRIMARY KEY, tags BLOB NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, tagset INTEGER, hits BLOB,"
    " facts BLOB);";

static void format_tag(char *buf, size_t len)
{
    /* the signer's trust depends on the trust store: a new store, a new cache */
    snprintf(buf, len, "pooltriage-scan-cache/%d pe=%zu driver=%zu hits=%u trust=%08x",
             CACHE_FORMAT, sizeof(pt_pe_info), sizeof(pt_driver),
             (unsigned)PT_MAX_HITS_PER_TAG, (unsigned)pt_trust_store_id());
}

const char *pt_scan_cache_default_path(void)
{
    static char path[PATH_MAX];
    char *dir = pt_platform_user_dir(PT_DIR_CACHE);
    bool ok = dir && pt_path_join_buf(path, sizeof path, dir, "scan.sqlite");
    pt_free(dir);
    return ok ? path : NULL;
}

/* mkdir -p of the folder holding `path`. */
static void make_parent(const char *path)
{
    pt_platform_mkdir_parent(path, NULL);
}

static void remove_files(const char *path)
{
    char side[PATH_MAX + 16];
    pt_platform_remove(path);
    snprintf(side, sizeof side, "%s-journal", path);
    pt_platform_remove(side);
    snprintf(side, sizeof side, "%s-wal", path);
    pt_platform_remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    pt_platform_remove(side);
}

/* True when the database holds our schema and format, and nothing else
 * that could run code (triggers, views). */
static bool is_ours(sqlite3 *db)
{
    char want[128];
    format_tag(want, sizeof want);
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db, "SELECT (SELECT value FROM meta WHERE key='format'),"
                                     " (SELECT count(*) FROM sqlite_master WHERE type IN"
                                     " ('trigger','view'))", -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
              strcmp((const char *)sqlite3_column_text(st, 0), want) == 0 &&
              sqlite3_column_int(st, 1) == 0;
    sqlite3_finalize(st);
    return ok;
}

static bool is_empty(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool empty = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st,
                                    NULL) == SQLITE_OK &&
                 sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
    sqlite3_finalize(st);
    return empty;
}

static bool create_schema(sqlite3 *db)
{
    char fmt[128], sql[256];
    format_tag(fmt, sizeof fmt);
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES('format','%s')", fmt);
    return sqlite3_exec(db, schema, NULL, NULL, NULL) == SQLITE_OK &&
           sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    sqlite3_busy_timeout(db, 2000);
    sqlite3_exec(db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    return db;
}

/* Opens the cache, rebuilding it once when it is not usable. */
static pt_code open_or_rebuild(pt_scan_cache *c, pt_error *err)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        c->db = open_db(c->path);
        if (c->db && (is_ours(c->db) || (is_empty(c->db) && create_schema(c->db))) &&
            sqlite3_prepare_v2(c->db, "SELECT size, mtime_ns, ino, tagset, hits, facts"
                                      " FROM files WHERE path = ?", -1, &c->get,
                               NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO files VALUES(?,?,?,?,?,?,?)",
                               -1, &c->put, NULL) == SQLITE_OK)
            return PT_OK;
        sqlite3_finalize(c->get);
        sqlite3_finalize(c->put);
        c->get = c->put = NULL;
        sqlite3_close(c->db);
        c->db = NULL;
        remove_files(c->path);
        c->rebuilt = true;
    }
    return pt_error_set(err, PT_EIO, c->path,
                        "cannot create the scan cache; check the folder's permissions "
                        "or run with --no-cache");
}

pt_code pt_scan_cache_open(const char *path, pt_scan_cache **out, pt_error *err)
{
    *out = NULL;
    if (path == NULL)
        path = pt_scan_cache_default_path();
    if (path == NULL)
        return pt_error_set(err, PT_EIO, "", "no cache folder: set XDG_CACHE_HOME or HOME");
    pt_scan_cache *c = pt_calloc(1, sizeof *c);
    if (c == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    snprintf(c->path, sizeof c->path, "%s", path);
    make_parent(c->path);
    pt_code rc = open_or_rebuild(c, err);
    if (rc != PT_OK) {
        pt_free(c);
        return rc;
    }
    *out = c;
    return PT_OK;
}

void pt_scan_cache_close(pt_scan_cache *c)
{
    if (c == NULL)
        return;
    if (c->in_tx)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(c->get);
    sqlite3_finalize(c->put);
    sqlite3_close(c->db);
    if (c->broken)
        remove_files(c->path);
    pt_free(c->set_blob);
    pt_free(c->supersets);
    pt_free(c);
}

const char *pt_scan_cache_file(const pt_scan_cache *c) { return c->path; }
bool pt_scan_cache_was_rebuilt(const pt_scan_cache *c) { return c->rebuilt; }

/* A failed step: corruption makes the cache go away at close. */
static pt_code step_failed(pt_scan_cache *c, int rc)
{
    int base = rc & 0xff;
    if (base == SQLITE_CORRUPT || base == SQLITE_NOTADB || base == SQLITE_FORMAT)
        c->broken = true;
    return PT_EIO;
}

/* ---- the tag set ---- */

static int cmp4(const void *a, const void *b) { return memcmp(a, b, 4); }

static bool blob_has_set(const pt_scan_cache *c, const uint8_t *blob, size_t len)
{
    if (len % 4 != 0)
        return false;
    for (size_t i = 0; i < c->set_len; i += 4)
        if (bsearch(c->set_blob + i, blob, len / 4, 4, cmp4) == NULL)
            return false;
    return true;
}

pt_code pt_scan_cache_begin(pt_scan_cache *c, const pt_tagset *set)
{
    if (c->broken)
        return PT_EIO;
    size_t n = pt_tagset_count(set);
    pt_free(c->set_blob);
    c->set_blob = pt_malloc(n * 4 + 1);
    if (c->set_blob == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        memcpy(c->set_blob + i * 4, pt_tagset_tag(set, i), 4);
    qsort(c->set_blob, n, 4, cmp4);
    c->set = set;
    c->set_len = n * 4;
    c->set_id = 0;
    c->superset_count = 0;
    size_t cap = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, "SELECT id, tags FROM tagsets", -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *blob = sqlite3_column_blob(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        int64_t id = sqlite3_column_int64(st, 0);
        if (len == c->set_len && (len == 0 || memcmp(blob, c->set_blob, len) == 0))
            c->set_id = id;
        if ((blob || len == 0) && blob_has_set(c, blob, len) &&
            !PT_PUSH(c->supersets, c->superset_count, cap, id)) {
            rc = SQLITE_NOMEM;
            break;
        }
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_NOMEM)
        return PT_ENOMEM;
    return rc == SQLITE_DONE ? PT_OK : step_failed(c, rc);
}

/* ---- reading blobs back, bounds-checked ---- */

typedef struct reader {
    const uint8_t *p, *end;
    bool bad;
} reader;

static const uint8_t *take(reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    return p;
}

static uint64_t get_u(reader *r, size_t n)
{
    const uint8_t *p = take(r, n);
    uint64_t v = 0;
    for (size_t i = 0; p && i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* A string: u32 length (0xffffffff: NULL), then bytes. */
static const char *get_str(reader *r, pt_arena *arena, size_t max)
{
    uint32_t len = (uint32_t)get_u(r, 4);
    if (r->bad || len == UINT32_MAX)
        return NULL;
    if (len > max) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = take(r, len);
    const char *s = p ? pt_arena_strndup(arena, (const char *)p, len) : NULL;
    if (p && s == NULL)
        r->bad = true; /* out of memory reads as a miss */
    return s;
}

static pt_code read_hits(pt_scan_cache *c, pt_arena *arena, const uint8_t *blob,
                         size_t len, pt_cache_entry *out)
{
    reader r = {blob, blob + len, false};
    uint32_t count = (uint32_t)get_u(&r, 4);
    if (r.bad || count > PT_MAX_TAGS)
        return PT_EFORMAT;
    out->hits = pt_arena_alloc(arena, ((size_t)count + 1) * sizeof *out->hits);
    if (out->hits == NULL)
        return PT_ENOMEM;
    for (uint32_t i = 0; i < count && !r.bad; i++) {
        const uint8_t *tag = take(&r, 4);
        pt_file_tags ft = {0};
        ft.total = get_u(&r, 8);
        ft.offset_count = (uint32_t)get_u(&r, 4);
        if (r.bad || ft.offset_count > PT_MAX_HITS_PER_TAG)
            return PT_EFORMAT;
        ft.offsets = pt_arena_alloc(arena, (ft.offset_count + 1) * sizeof *ft.offsets);
        ft.windows = pt_arena_alloc(arena, (ft.offset_count + 1) * sizeof *ft.windows);
        if (ft.offsets == NULL || ft.windows == NULL)
            return PT_ENOMEM;
        for (uint32_t k = 0; k < ft.offset_count && !r.bad; k++) {
            pt_hit_window *w = &ft.windows[k];
            ft.offsets[k] = get_u(&r, 8);
            w->before = (uint8_t)get_u(&r, 1);
            w->len = (uint8_t)get_u(&r, 1);
            if (w->before > PT_HIT_BEFORE || w->len > PT_HIT_WINDOW ||
                w->before > ft.offsets[k]) {
                r.bad = true;
                break;
            }
            const uint8_t *bytes = take(&r, w->len);
            if (bytes)
                memcpy(w->bytes, bytes, w->len);
        }
        int idx = tag ? pt_tagset_find(c->set, (const char *)tag) : -1;
        if (idx >= 0 && !r.bad) { /* a superset's other tags are dropped */
            ft.tag_index = (uint32_t)idx;
            out->hits[out->hit_count++] = ft;
        }
    }
    return r.bad || r.p != r.end ? PT_EFORMAT : PT_OK;
}

static void get_section(reader *r, pt_section *s)
{
    const uint8_t *name = take(r, 8);
    if (name)
        memcpy(s->name, name, 8);
    s->name[8] = '\0';
    s->virtual_address = (uint32_t)get_u(r, 4);
    s->virtual_size = (uint32_t)get_u(r, 4);
    s->raw_offset = (uint32_t)get_u(r, 4);
    s->raw_size = (uint32_t)get_u(r, 4);
    s->characteristics = (uint32_t)get_u(r, 4);
}

static void get_table(reader *r, pt_arena *arena, pt_string_table *t)
{
    const uint8_t *key = take(r, 8);
    if (key)
        memcpy(t->key, key, 8);
    t->key[8] = '\0';
    const char **f[] = {&t->company_name, &t->file_description, &t->file_version,
                        &t->internal_name, &t->legal_copyright, &t->original_filename,
                        &t->product_name, &t->product_version};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        *f[i] = get_str(r, arena, 65536);
}

static pt_code read_pe(reader *r, pt_arena *arena, pt_pe_info *pe)
{
    pe->flags = (unsigned)get_u(r, 4);
    pe->machine = (uint16_t)get_u(r, 2);
    pe->subsystem = (uint16_t)get_u(r, 2);
    pe->characteristics = (uint16_t)get_u(r, 2);
    pe->pe32plus = get_u(r, 1) != 0;
    pe->timestamp = (uint32_t)get_u(r, 4);
    pe->checksum = (uint32_t)get_u(r, 4);
    pe->checksum_offset = (uint32_t)get_u(r, 4);
    pe->image_base_low = (uint32_t)get_u(r, 4);
    pe->pool_imports = (unsigned)get_u(r, 4);
    for (int i = 0; i < 7; i++)
        pe->pool_iat_rva[i] = (uint32_t)get_u(r, 4);
    pe->security_offset = (uint32_t)get_u(r, 4);
    pe->security_size = (uint32_t)get_u(r, 4);
    pe->security_dir_offset = (uint32_t)get_u(r, 4);
    pe->has_version = get_u(r, 1) != 0;
    for (int i = 0; i < 4; i++)
        pe->file_version[i] = (uint16_t)get_u(r, 2);
    for (int i = 0; i < 4; i++)
        pe->product_version[i] = (uint16_t)get_u(r, 2);
    size_t sections = (size_t)get_u(r, 4);
    if (r->bad || sections > PT_MAX_SECTIONS)
        return PT_EFORMAT;
    pe->sections = pt_arena_alloc(arena, (sections + 1) * sizeof *pe->sections);
    if (pe->sections == NULL)
        return PT_ENOMEM;
    for (pe->section_count = 0; pe->section_count < sections && !r->bad; pe->section_count++)
        get_section(r, &pe->sections[pe->section_count]);
    size_t tables = (size_t)get_u(r, 4);
    if (r->bad || tables > PT_MAX_STRING_TABLES)
        return PT_EFORMAT;
    pe->string_tables = pt_arena_alloc(arena, (tables + 1) * sizeof *pe->string_tables);
    if (pe->string_tables == NULL)
        return PT_ENOMEM;
    for (pe->string_table_count = 0; pe->string_table_count < tables && !r->bad;
         pe->string_table_count++)
        get_table(r, arena, &pe->string_tables[pe->string_table_count]);
    return r->bad ? PT_EFORMAT : PT_OK;
}

static pt_code read_signer(reader *r, pt_arena *arena, pt_driver *d)
{
    if (get_u(r, 1) == 0)
        return PT_OK;
    pt_signer *s = pt_arena_alloc(arena, sizeof *s);
    if (s == NULL)
        return PT_ENOMEM;
    const char *status = NULL;
    const char **f[] = {&status, &s->subject, &s->issuer, &s->signing_time, &s->serial,
                        &s->thumbprint, &s->digest_algorithm, &s->signing_time_source,
                        &s->reason, &s->catalog, &s->trust, &s->trust_root,
                        &s->windows_verdict, &s->windows_detail, &s->windows_catalog};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        *f[i] = get_str(r, arena, 4096);
    s->digest_ok = get_u(r, 1) != 0;
    s->entry_count = (unsigned)get_u(r, 4);
    s->chain_verified = s->trust != NULL && strcmp(s->trust, "trusted") == 0;
    if (!pt_sig_status_parse(status, &s->status))
        return PT_EFORMAT;
    d->signer = s;
    return PT_OK;
}

static pt_code read_facts(pt_arena *arena, const uint8_t *blob, size_t len, pt_driver *d)
{
    reader r = {blob, blob + len, false};
    const uint8_t *sha = take(&r, 64);
    if (sha) {
        memcpy(d->sha256, sha, 64);
        d->sha256[64] = '\0';
        if (d->sha256[0] == ' ')
            d->sha256[0] = '\0';
    }
    d->pe_read = get_u(&r, 1) != 0;
    d->error = get_str(&r, arena, 4096);
    pt_code rc = read_pe(&r, arena, &d->pe);
    if (rc == PT_OK)
        rc = read_signer(&r, arena, d);
    if (rc == PT_OK && (r.bad || r.p != r.end))
        rc = PT_EFORMAT;
    return rc;
}

pt_code pt_scan_cache_get(pt_scan_cache *c, pt_arena *arena, const pt_file_key *key,
                          pt_cache_entry *out)
{
    memset(out, 0, sizeof *out);
    if (c->broken)
        return PT_EIO;
    sqlite3_reset(c->get);
    sqlite3_bind_text(c->get, 1, key->path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(c->get);
    if (rc == SQLITE_DONE)
        return PT_OK;
    if (rc != SQLITE_ROW)
        return step_failed(c, rc);
    if ((uint64_t)sqlite3_column_int64(c->get, 0) != key->size ||
        sqlite3_column_int64(c->get, 1) != key->mtime_ns ||
        (uint64_t)sqlite3_column_int64(c->get, 2) != key->ino)
        return PT_OK; /* changed: a miss */
    out->found = true;
    int64_t tagset = sqlite3_column_int64(c->get, 3);
    for (size_t i = 0; i < c->superset_count && !out->has_tags; i++)
        out->has_tags = c->supersets[i] == tagset;
    pt_code prc = PT_OK;
    const uint8_t *hits = sqlite3_column_blob(c->get, 4);
    if (out->has_tags && hits)
        prc = read_hits(c, arena, hits, (size_t)sqlite3_column_bytes(c->get, 4), out);
    const uint8_t *facts = sqlite3_column_blob(c->get, 5);
    if (prc == PT_OK && facts) {
        prc = read_facts(arena, facts, (size_t)sqlite3_column_bytes(c->get, 5), &out->facts);
        out->described = prc == PT_OK;
    }
    sqlite3_reset(c->get);
    if (prc == PT_ENOMEM)
        return prc;
    if (prc != PT_OK) /* a damaged row reads as a miss */
        memset(out, 0, sizeof *out);
    return PT_OK;
}

/* ---- writing ---- */

static void put_u(pt_buf *b, uint64_t v, size_t n)
{
    char tmp[8];
    for (size_t i = 0; i < n; i++)
        tmp[i] = (char)(v >> (8 * i));
    pt_buf_append(b, tmp, n);
}

static void put_str(pt_buf *b, const char *s)
{
    if (s == NULL) {
        put_u(b, UINT32_MAX, 4);
        return;
    }
    size_t len = strlen(s);
    put_u(b, len, 4);
    pt_buf_append(b, s, len);
}

static void put_hits(pt_buf *b, const pt_tagset *set, const pt_file_tags *hits, size_t count)
{
    put_u(b, count, 4);
    for (size_t i = 0; i < count; i++) {
        const pt_file_tags *ft = &hits[i];
        pt_buf_append(b, pt_tagset_tag(set, ft->tag_index), 4);
        put_u(b, ft->total, 8);
        put_u(b, ft->offset_count, 4);
        for (uint32_t k = 0; k < ft->offset_count; k++) {
            const pt_hit_window *w = &ft->windows[k];
            put_u(b, ft->offsets[k], 8);
            put_u(b, w->before, 1);
            put_u(b, w->len, 1);
            pt_buf_append(b, (const char *)w->bytes, w->len);
        }
    }
}

static void put_pe(pt_buf *b, const pt_pe_info *pe)
{
    put_u(b, pe->flags, 4);
    put_u(b, pe->machine, 2);
    put_u(b, pe->subsystem, 2);
    put_u(b, pe->characteristics, 2);
    put_u(b, pe->pe32plus, 1);
    put_u(b, pe->timestamp, 4);
    put_u(b, pe->checksum, 4);
    put_u(b, pe->checksum_offset, 4);
    put_u(b, pe->image_base_low, 4);
    put_u(b, pe->pool_imports, 4);
    for (int i = 0; i < 7; i++)
        put_u(b, pe->pool_iat_rva[i], 4);
    put_u(b, pe->security_offset, 4);
    put_u(b, pe->security_size, 4);
    put_u(b, pe->security_dir_offset, 4);
    put_u(b, pe->has_version, 1);
    for (int i = 0; i < 4; i++)
        put_u(b, pe->file_version[i], 2);
    for (int i = 0; i < 4; i++)
        put_u(b, pe->product_version[i], 2);
    put_u(b, pe->section_count, 4);
    for (size_t i = 0; i < pe->section_count; i++) {
        const pt_section *s = &pe->sections[i];
        pt_buf_append(b, s->name, 8);
        put_u(b, s->virtual_address, 4);
        put_u(b, s->virtual_size, 4);
        put_u(b, s->raw_offset, 4);
        put_u(b, s->raw_size, 4);
        put_u(b, s->characteristics, 4);
    }
    put_u(b, pe->string_table_count, 4);
    for (size_t i = 0; i < pe->string_table_count; i++) {
        const pt_string_table *t = &pe->string_tables[i];
        pt_buf_append(b, t->key, 8);
        const char *f[] = {t->company_name, t->file_description, t->file_version,
                           t->internal_name, t->legal_copyright, t->original_filename,
                           t->product_name, t->product_version};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            put_str(b, f[k]);
    }
}

/* The signer fields the verdict and the rules use (not the nested list). */
static void put_signer(pt_buf *b, const pt_signer *s)
{
    put_u(b, s != NULL, 1);
    if (s == NULL)
        return;
    const char *f[] = {pt_sig_status_name(s->status), s->subject, s->issuer, s->signing_time, s->serial,
                       s->thumbprint, s->digest_algorithm, s->signing_time_source,
                       s->reason, s->catalog, s->trust, s->trust_root,
                       s->windows_verdict, s->windows_detail, s->windows_catalog};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        put_str(b, f[i]);
    put_u(b, s->digest_ok, 1);
    put_u(b, s->entry_count, 4);
}

static void put_facts(pt_buf *b, const pt_driver *d)
{
    char sha[64];
    memset(sha, ' ', sizeof sha);
    memcpy(sha, d->sha256, strnlen(d->sha256, 64));
    pt_buf_append(b, sha, 64);
    put_u(b, d->pe_read, 1);
    put_str(b, d->error);
    put_pe(b, &d->pe);
    put_signer(b, d->signer);
}

/* The row id of the current tag set, stored on first use. */
static pt_code set_row(pt_scan_cache *c)
{
    if (c->set_id)
        return PT_OK;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, "INSERT INTO tagsets(tags) VALUES(?)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_blob(st, 1, c->set_blob, (int)c->set_len, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return step_failed(c, rc);
    c->set_id = sqlite3_last_insert_rowid(c->db);
    return PT_OK;
}

pt_code pt_scan_cache_put(pt_scan_cache *c, const pt_file_key *key,
                          const pt_file_tags *hits, size_t hit_count, const pt_driver *facts)
{
    if (c->broken || c->set == NULL)
        return PT_EIO;
    if (!c->in_tx) {
        int rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return step_failed(c, rc);
        c->in_tx = true;
    }
    pt_code prc = set_row(c);
    if (prc != PT_OK)
        return prc;
    pt_buf hb = {0}, fb = {0};
    put_hits(&hb, c->set, hits, hit_count);
    if (facts)
        put_facts(&fb, facts);
    if (hb.failed || fb.failed) {
        pt_buf_free(&hb);
        pt_buf_free(&fb);
        return PT_ENOMEM;
    }
    sqlite3_reset(c->put);
    sqlite3_bind_text(c->put, 1, key->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(c->put, 2, (sqlite3_int64)key->size);
    sqlite3_bind_int64(c->put, 3, key->mtime_ns);
    sqlite3_bind_int64(c->put, 4, (sqlite3_int64)key->ino);
    sqlite3_bind_int64(c->put, 5, c->set_id);
    sqlite3_bind_blob(c->put, 6, hb.data ? hb.data : "", (int)hb.len, SQLITE_TRANSIENT);
    if (facts)
        sqlite3_bind_blob(c->put, 7, fb.data, (int)fb.len, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(c->put, 7);
    int rc = sqlite3_step(c->put);
    sqlite3_reset(c->put);
    pt_buf_free(&hb);
    pt_buf_free(&fb);
    return rc == SQLITE_DONE ? PT_OK : step_failed(c, rc);
}

pt_code pt_scan_cache_end(pt_scan_cache *c)
{
    if (!c->in_tx)
        return PT_OK;
    c->in_tx = false;
    /* keep the tag-set table small: drop sets no file points to any more */
    int rc = sqlite3_exec(c->db, "DELETE FROM tagsets WHERE id NOT IN"
                                 " (SELECT DISTINCT tagset FROM files WHERE tagset IS NOT NULL);"
                                 "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        return step_failed(c, rc);
    }
    return PT_OK;
}
