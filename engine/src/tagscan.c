/*
 * tagscan.c - the scan stage's inner loop: one pass over a file finds every
 * tag of a set at once.  A 2-byte prefix bitmap (8 KiB, stays in L1)
 * filters positions; an exact open-addressing hash set confirms them.
 */
#include "pt_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct pt_tagset {
    size_t count;
    char (*tags)[5];          /* display order, NUL-terminated */
    uint32_t *values;         /* the 4 bytes as a little-endian load sees them */
    uint8_t prefix[65536 / 8];/* bit per first-2-bytes value */
    uint32_t *slots;          /* hash set: value, or 0 with index -1 */
    int32_t *slot_index;
    size_t slot_mask;
};

static uint32_t load32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static size_t hash32(uint32_t v) { return (size_t)((v * 2654435761u) >> 7); }

static int32_t lookup(const pt_tagset *set, uint32_t v)
{
    for (size_t h = hash32(v) & set->slot_mask;; h = (h + 1) & set->slot_mask) {
        if (set->slot_index[h] < 0)
            return -1;
        if (set->slots[h] == v)
            return set->slot_index[h];
    }
}

pt_tagset *pt_tagset_new(const char (*tags)[5], size_t count)
{
    if (count > PT_MAX_TAGS)
        return NULL;
    pt_tagset *set = pt_calloc(1, sizeof *set);
    if (set == NULL)
        return NULL;
    size_t slots = 16;
    while (slots < count * 2)
        slots *= 2;
    set->tags = pt_calloc(count + 1, sizeof *set->tags);
    set->values = pt_calloc(count + 1, sizeof *set->values);
    set->slots = pt_calloc(slots, sizeof *set->slots);
    set->slot_index = pt_malloc(slots * sizeof *set->slot_index);
    if (!set->tags || !set->values || !set->slots || !set->slot_index) {
        pt_tagset_free(set);
        return NULL;
    }
    memset(set->slot_index, 0xff, slots * sizeof *set->slot_index);
    set->slot_mask = slots - 1;
    for (size_t i = 0; i < count; i++) {
        uint32_t v = load32((const uint8_t *)tags[i]);
        if (lookup(set, v) >= 0)
            continue; /* a duplicate */
        size_t idx = set->count++;
        memcpy(set->tags[idx], tags[i], 4);
        set->tags[idx][4] = '\0';
        set->values[idx] = v;
        size_t h = hash32(v) & set->slot_mask;
        while (set->slot_index[h] >= 0)
            h = (h + 1) & set->slot_mask;
        set->slots[h] = v;
        set->slot_index[h] = (int32_t)idx;
        unsigned p = (unsigned)(v & 0xffff);
        set->prefix[p >> 3] |= (uint8_t)(1u << (p & 7));
    }
    return set;
}

void pt_tagset_free(pt_tagset *set)
{
    if (set == NULL)
        return;
    pt_free(set->tags);
    pt_free(set->values);
    pt_free(set->slots);
    pt_free(set->slot_index);
    pt_free(set);
}

size_t pt_tagset_count(const pt_tagset *set) { return set->count; }

const char *pt_tagset_tag(const pt_tagset *set, size_t index)
{
    return index < set->count ? set->tags[index] : NULL;
}

/* One tag: memchr finds candidates for the first byte at memory speed. */
static void scan_one(const pt_tagset *set, const uint8_t *buf, size_t len,
                     uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    const uint8_t first = (uint8_t)set->tags[0][0];
    const uint8_t *p = buf, *end = buf + len - 3;
    while (p < end) {
        p = memchr(p, first, (size_t)(end - p));
        if (p == NULL)
            return;
        if (load32(p) == set->values[0]) {
            pt_tag_hit hit = {0, base + (uint64_t)(p - buf)};
            if (!fn(ctx, &hit))
                return;
        }
        p++;
    }
}

void pt_tagscan_buffer(const pt_tagset *set, const uint8_t *buf, size_t len,
                       uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    if (set->count == 0 || len < 4)
        return;
    if (set->count == 1) {
        scan_one(set, buf, len, base, fn, ctx);
        return;
    }
    for (size_t i = 0; i + 4 <= len; i++) {
        unsigned p = (unsigned)buf[i] | (unsigned)buf[i + 1] << 8;
        if (!(set->prefix[p >> 3] & (1u << (p & 7))))
            continue;
        int32_t idx = lookup(set, load32(buf + i));
        if (idx < 0)
            continue;
        pt_tag_hit hit = {(uint32_t)idx, base + i};
        if (!fn(ctx, &hit))
            return;
    }
}

typedef struct stop_ctx {
    pt_tag_hit_fn fn;
    void *ctx;
    bool stopped;
} stop_ctx;

static bool note_stop(void *c, const pt_tag_hit *hit)
{
    stop_ctx *s = c;
    if (!s->fn(s->ctx, hit)) {
        s->stopped = true;
        return false;
    }
    return true;
}

pt_code pt_tagscan_file(const pt_tagset *set, const char *path,
                        uint8_t *scratch, size_t scratch_len, pt_tag_hit_fn fn,
                        void *ctx, pt_error *err)
{
    if (scratch_len < 64)
        return pt_error_set(err, PT_EUSAGE, path, "scan buffer too small");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(errno));
    stop_ctx sc = {fn, ctx, false};
    size_t keep = 0;      /* bytes carried over from the last read */
    uint64_t base = 0;    /* file offset of scratch[0] */
    pt_code rc = PT_OK;
    while (!sc.stopped) {
        ssize_t n = read(fd, scratch + keep, scratch_len - keep);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pt_error_set(err, PT_EIO, path, "cannot read: %s", strerror(errno));
            break;
        }
        if (n == 0)
            break;
        size_t have = keep + (size_t)n;
        pt_tagscan_buffer(set, scratch, have, base, note_stop, &sc);
        keep = have < 3 ? have : 3;
        memmove(scratch, scratch + have - keep, keep);
        base += have - keep;
    }
    close(fd);
    return rc;
}
