/*
 * scan.c - the scan stage: one walk over every file under the driver
 * folders finds all suspect tags at once, then the describe step reads the
 * PE facts and sha256 of each file that holds a tag.
 */
#include "pt_internal.h"

#include <string.h>

typedef struct scan_state {
    pt_arena *arena;
    const pt_tagset *set;
    uint8_t *scratch;
    /* results */
    pt_driver *drivers;
    size_t driver_count, driver_cap;
    pt_file_tags *hits;
    size_t hit_count, hit_cap;
    /* the file being scanned: its hits before it is known to matter */
    pt_file_tags *cur;
    size_t cur_count, cur_cap;
    pt_input_error *errors;
    size_t error_count, error_cap;
    pt_code rc;
    pt_error *err;
} scan_state;

static bool on_hit(void *ctx, const pt_tag_hit *hit)
{
    scan_state *st = ctx;
    pt_file_tags *ft = NULL;
    for (size_t i = 0; i < st->cur_count; i++)
        if (st->cur[i].tag_index == hit->tag_index)
            ft = &st->cur[i];
    if (ft == NULL) {
        pt_file_tags fresh = {0};
        fresh.tag_index = hit->tag_index;
        if (!PT_PUSH(st->cur, st->cur_count, st->cur_cap, fresh)) {
            st->rc = pt_error_set(st->err, PT_ENOMEM, "", "out of memory");
            return false;
        }
        ft = &st->cur[st->cur_count - 1];
    }
    if (ft->offset_count < PT_MAX_HITS_PER_TAG)
        ft->offsets[ft->offset_count++] = hit->offset;
    ft->total++;
    return true;
}

static bool add_error(scan_state *st, const char *path, const char *message)
{
    pt_input_error e = {pt_arena_strdup(st->arena, path), "",
                        pt_arena_strdup(st->arena, message)};
    return PT_PUSH(st->errors, st->error_count, st->error_cap, e);
}

static bool on_file(void *ctx, const char *path, const char *name, uint64_t size)
{
    scan_state *st = ctx;
    st->cur_count = 0;
    pt_error ferr = {0};
    if (pt_tagscan_file(st->set, path, st->scratch, PT_SCAN_BUFFER_BYTES, on_hit,
                        st, &ferr) != PT_OK) {
        if (!add_error(st, path, ferr.message))
            st->rc = pt_error_set(st->err, PT_ENOMEM, "", "out of memory");
        return st->rc == PT_OK;
    }
    if (st->rc != PT_OK)
        return false;
    if (st->cur_count == 0)
        return true;
    pt_driver d = {0};
    d.path = pt_arena_strdup(st->arena, path);
    d.name = pt_arena_strdup(st->arena, name);
    d.size = size;
    if (d.path == NULL || d.name == NULL ||
        !PT_PUSH(st->drivers, st->driver_count, st->driver_cap, d)) {
        st->rc = pt_error_set(st->err, PT_ENOMEM, "", "out of memory");
        return false;
    }
    for (size_t i = 0; i < st->cur_count; i++) {
        st->cur[i].driver_index = st->driver_count - 1;
        if (!PT_PUSH(st->hits, st->hit_count, st->hit_cap, st->cur[i])) {
            st->rc = pt_error_set(st->err, PT_ENOMEM, "", "out of memory");
            return false;
        }
    }
    return true;
}

/* Reads the PE facts and sha256 of one driver and classifies its hits;
 * failures become missing facts.  The file's bytes live only meanwhile. */
static pt_code describe_driver(pt_arena *arena, pt_driver *d, pt_file_tags *hits,
                               size_t hit_count, size_t index)
{
    pt_arena *tmp = pt_arena_new();
    if (tmp == NULL)
        return PT_ENOMEM;
    uint8_t *data = NULL;
    size_t len = 0;
    pt_error ferr = {0};
    pt_code rc = pt_file_read(tmp, d->path, PT_MAX_PE_BYTES, &data, &len, &ferr);
    if (rc == PT_OK) {
        pt_sha256_hex(data, len, d->sha256);
        rc = pt_pe_parse(arena, data, len, &d->pe);
        d->pe_read = rc == PT_OK && !(d->pe.flags & PT_PE_NOT_PE);
        if (rc == PT_OK && !d->pe_read)
            d->error = "not a PE file";
    } else if (rc != PT_ENOMEM) {
        d->error = pt_arena_strdup(arena, ferr.message);
        data = NULL;
        len = 0;
        rc = PT_OK;
    }
    for (size_t h = 0; rc == PT_OK && h < hit_count; h++) {
        if (hits[h].driver_index != index)
            continue;
        for (uint32_t i = 0; i < hits[h].offset_count; i++)
            hits[h].evidence[i] = pt_attribute_classify(d, data, len, hits[h].offsets[i]);
    }
    pt_arena_free(tmp);
    return rc;
}

pt_code pt_scan_drivers(pt_arena *arena, const char *const *dirs, size_t dir_count,
                        const pt_tagset *set, pt_scan_result *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    scan_state st = {0};
    st.arena = arena;
    st.set = set;
    st.err = err;
    st.scratch = pt_malloc(PT_SCAN_BUFFER_BYTES);
    if (st.scratch == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    for (size_t i = 0; i < dir_count && st.rc == PT_OK; i++) {
        pt_error werr = {0};
        if (pt_platform_walk(dirs[i], on_file, &st, &werr) != PT_OK && st.rc == PT_OK) {
            if (werr.code == PT_ENOMEM)
                st.rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
            else if (!add_error(&st, dirs[i], werr.message))
                st.rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
        }
    }
    pt_free(st.scratch);
    pt_free(st.cur);
    for (size_t i = 0; i < st.driver_count && st.rc == PT_OK; i++)
        if (describe_driver(arena, &st.drivers[i], st.hits, st.hit_count, i) != PT_OK)
            st.rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    bool adopted = pt_arena_adopt(arena, st.drivers) &
                   pt_arena_adopt(arena, st.hits) & pt_arena_adopt(arena, st.errors);
    if (st.rc == PT_OK && !adopted)
        st.rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (st.rc != PT_OK)
        return st.rc;
    out->drivers = st.drivers;
    out->driver_count = st.driver_count;
    out->hits = st.hits;
    out->hit_count = st.hit_count;
    out->errors = st.errors;
    out->error_count = st.error_count;
    return PT_OK;
}
