/*
 * tagscan.c - the scan stage's inner loop: one pass over a file finds every
 * tag of a set at once.  Up to PT_TAGSCAN_SIMD_TAGS tags: SIMD compares of
 * each tag's first and last byte (AVX2 or SSE2, chosen at run time), then an
 * exact check.  Up to PT_TAGSCAN_TEDDY_TAGS with AVX2: a nibble-table
 * filter over all 4 bytes in 8 buckets (the "Teddy" idea from Hyperscan
 * and ripgrep), then the exact check.  More ASCII tags with AVX2: exact
 * per-position byte sets, then the hash filter below.  Otherwise: a filter
 * table indexed by a hash of all 4 bytes
 * (64 KiB, one byte per entry: no shift or mask in the loop), then an exact
 * open-addressing hash set (DESIGN.md 4).  On real PE files the 4-byte hash
 * passes half as many positions as a 2-byte prefix bitmap, and runs about
 * twice as fast with 1,000 tags.
 */
#include "pooltriage/pooltriage.h"
#include "scan_int.h"
#include "pooltriage/limits.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PT_X86 1
#else
#define PT_X86 0
#endif

struct pt_tagset {
    size_t count;
    char (*tags)[5];          /* display order, NUL-terminated */
    uint32_t *values;         /* the 4 bytes as a little-endian load sees them */
    uint8_t filter[65536];    /* 1 where some tag's filter_hash lands */
    /* Teddy: bit b of lo[j][n] is set when a tag of bucket b has low
     * nibble n at byte j; the same for high nibbles. */
    uint8_t teddy_lo[4][16], teddy_hi[4][16];
    /* Exact byte sets per tag position, for ASCII sets larger than Teddy
     * handles: bit h of ascii[j][n] is set when some tag has byte h*16+n
     * at position j (h < 8). */
    uint8_t ascii[4][16];
    bool all_ascii;
    uint32_t *slots;          /* hash set: value, or 0 with index -1 */
    int32_t *slot_index;
    size_t slot_mask;
};

/* The SIMD level in use: 0 scalar, 1 SSE2, 2 AVX2; -1 not yet chosen. */
static int simd_level = -1;

static uint32_t load32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v; /* x86 and ARM64 are little-endian, as the tag bytes are */
}

static size_t hash32(uint32_t v) { return (size_t)((v * 2654435761u) >> 7); }

/* 16 bits from all 4 bytes (the high half of a multiplicative hash). */
static inline unsigned filter_hash(uint32_t v) { return (v * 0x9E3779B1u) >> 16; }

static int32_t lookup(const pt_tagset *set, uint32_t v)
{
    for (size_t h = hash32(v) & set->slot_mask;; h = (h + 1) & set->slot_mask) {
        if (set->slot_index[h] < 0)
            return -1;
        if (set->slots[h] == v)
            return set->slot_index[h];
    }
}

static void add_tag(pt_tagset *set, const char *tag)
{
    uint32_t v = load32((const uint8_t *)tag);
    if (lookup(set, v) >= 0)
        return; /* a duplicate */
    size_t idx = set->count++;
    memcpy(set->tags[idx], tag, 4);
    set->tags[idx][4] = '\0';
    set->values[idx] = v;
    size_t h = hash32(v) & set->slot_mask;
    while (set->slot_index[h] >= 0)
        h = (h + 1) & set->slot_mask;
    set->slots[h] = v;
    set->slot_index[h] = (int32_t)idx;
    set->filter[filter_hash(v)] = 1;
}

static int by_value(const void *a, const void *b)
{
    /* by the first two bytes, so a bucket's tags share nibbles */
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    x = (x & 0xff) << 24 | (x & 0xff00) << 8 | (x >> 8 & 0xff00) | x >> 24;
    y = (y & 0xff) << 24 | (y & 0xff00) << 8 | (y >> 8 & 0xff00) | y >> 24;
    return (x > y) - (x < y);
}

/* Fills the Teddy tables: tags in value order, cut into 8 buckets. */
static bool build_teddy(pt_tagset *set)
{
    if (set->count <= PT_TAGSCAN_SIMD_TAGS || set->count > PT_TAGSCAN_TEDDY_TAGS)
        return true;
    uint32_t *v = pt_malloc(set->count * sizeof *v);
    if (v == NULL)
        return false;
    memcpy(v, set->values, set->count * sizeof *v);
    qsort(v, set->count, sizeof *v, by_value);
    for (size_t t = 0; t < set->count; t++) {
        uint8_t bit = (uint8_t)(1u << (t * 8 / set->count));
        for (int j = 0; j < 4; j++) {
            uint8_t byte = (uint8_t)(v[t] >> (8 * j));
            set->teddy_lo[j][byte & 15] |= bit;
            set->teddy_hi[j][byte >> 4] |= bit;
        }
    }
    pt_free(v);
    return true;
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
    for (size_t i = 0; i < count; i++)
        add_tag(set, tags[i]);
    set->all_ascii = true;
    for (size_t t = 0; t < set->count; t++)
        for (int j = 0; j < 4; j++) {
            uint8_t byte = (uint8_t)set->tags[t][j];
            set->all_ascii &= byte < 0x80;
            if (byte < 0x80)
                set->ascii[j][byte & 15] |= (uint8_t)(1u << (byte >> 4));
        }
    if (!build_teddy(set)) {
        pt_tagset_free(set);
        return NULL;
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

int pt_tagset_find(const pt_tagset *set, const char *tag)
{
    return set->count ? (int)lookup(set, load32((const uint8_t *)tag)) : -1;
}

/* ---- the candidate check shared by every path ---- */

/* Reports the tag at buf[i] if it is one; false when the callback stops. */
static inline bool check_at(const pt_tagset *set, const uint8_t *buf, size_t i,
                            uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    int32_t idx = set->count == 1 ? (load32(buf + i) == set->values[0] ? 0 : -1)
                                  : lookup(set, load32(buf + i));
    if (idx < 0)
        return true;
    pt_tag_hit hit = {(uint32_t)idx, base + i};
    return fn(ctx, &hit);
}

/* Scalar: positions [from, len - 3) through the filter table.  Returns
 * false when the callback stopped. */
static bool scan_scalar(const pt_tagset *set, const uint8_t *buf, size_t from,
                        size_t len, uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    const uint8_t *filter = set->filter;
    for (size_t i = from; i + 4 <= len; i++) {
        if (__builtin_expect(!filter[filter_hash(load32(buf + i))], 1))
            continue;
        if (!check_at(set, buf, i, base, fn, ctx))
            return false;
    }
    return true;
}

#if PT_X86
/* The distinct (first byte, last byte) pairs of a small set. */
typedef struct pairs {
    size_t count;
    uint8_t first[PT_TAGSCAN_SIMD_TAGS], last[PT_TAGSCAN_SIMD_TAGS];
} pairs;

static void pairs_of(const pt_tagset *set, pairs *out)
{
    out->count = 0;
    for (size_t t = 0; t < set->count; t++) {
        uint8_t f = (uint8_t)set->tags[t][0], l = (uint8_t)set->tags[t][3];
        bool dup = false;
        for (size_t k = 0; k < out->count; k++)
            dup |= out->first[k] == f && out->last[k] == l;
        if (!dup) {
            out->first[out->count] = f;
            out->last[out->count++] = l;
        }
    }
}

/* Checks each set bit of a candidate mask whose bit k is position at + k. */
static inline bool check_mask(const pt_tagset *set, const uint8_t *buf, size_t at,
                              uint32_t mask, uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    while (mask) {
        size_t k = (size_t)__builtin_ctz(mask);
        if (!check_at(set, buf, at + k, base, fn, ctx))
            return false;
        mask &= mask - 1;
    }
    return true;
}

__attribute__((target("avx2"))) static bool scan_avx2(const pt_tagset *set,
                                                      const uint8_t *buf, size_t len,
                                                      uint64_t base, pt_tag_hit_fn fn,
                                                      void *ctx)
{
    pairs pr;
    pairs_of(set, &pr);
    __m256i f[PT_TAGSCAN_SIMD_TAGS], l[PT_TAGSCAN_SIMD_TAGS];
    for (size_t k = 0; k < pr.count; k++) {
        f[k] = _mm256_set1_epi8((char)pr.first[k]);
        l[k] = _mm256_set1_epi8((char)pr.last[k]);
    }
    size_t i = 0;
    /* 64 positions per step; the loads reach buf[i + 63 + 3] */
    for (; i + 64 + 3 <= len; i += 64) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)(buf + i));
        __m256i a1 = _mm256_loadu_si256((const __m256i *)(buf + i + 32));
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(buf + i + 3));
        __m256i b1 = _mm256_loadu_si256((const __m256i *)(buf + i + 35));
        __m256i m0 = _mm256_setzero_si256(), m1 = _mm256_setzero_si256();
        for (size_t k = 0; k < pr.count; k++) {
            m0 = _mm256_or_si256(m0, _mm256_and_si256(_mm256_cmpeq_epi8(a0, f[k]),
                                                      _mm256_cmpeq_epi8(b0, l[k])));
            m1 = _mm256_or_si256(m1, _mm256_and_si256(_mm256_cmpeq_epi8(a1, f[k]),
                                                      _mm256_cmpeq_epi8(b1, l[k])));
        }
        if (_mm256_testz_si256(_mm256_or_si256(m0, m1), _mm256_or_si256(m0, m1)))
            continue;
        if (!check_mask(set, buf, i, (uint32_t)_mm256_movemask_epi8(m0), base, fn, ctx) ||
            !check_mask(set, buf, i + 32, (uint32_t)_mm256_movemask_epi8(m1), base, fn, ctx))
            return false;
    }
    return scan_scalar(set, buf, i, len, base, fn, ctx);
}

__attribute__((target("avx2"))) static bool scan_teddy(const pt_tagset *set,
                                                       const uint8_t *buf, size_t len,
                                                       uint64_t base, pt_tag_hit_fn fn,
                                                       void *ctx)
{
    __m256i lo[4], hi[4];
    for (int j = 0; j < 4; j++) {
        lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)set->teddy_lo[j]));
        hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)set->teddy_hi[j]));
    }
    const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    size_t i = 0;
    /* 32 positions per step; the loads reach buf[i + 31 + 3] */
    for (; i + 32 + 3 <= len; i += 32) {
        __m256i acc = _mm256_set1_epi8(-1);
        for (int j = 0; j < 4; j++) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(buf + i + j));
            __m256i l = _mm256_shuffle_epi8(lo[j], _mm256_and_si256(x, nib));
            __m256i h = _mm256_shuffle_epi8(hi[j], _mm256_and_si256(_mm256_srli_epi16(x, 4), nib));
            acc = _mm256_and_si256(acc, _mm256_and_si256(l, h));
        }
        uint32_t mask = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(acc, zero));
        if (mask && !check_mask(set, buf, i, mask, base, fn, ctx))
            return false;
    }
    return scan_scalar(set, buf, i, len, base, fn, ctx);
}

/* Many ASCII tags: a SIMD test that all 4 bytes at a position are in the
 * tags' byte sets for those positions (code and data rarely pass; only
 * runs of text do), then the hash filter and the exact check. */
__attribute__((target("avx2"))) static bool scan_ascii(const pt_tagset *set,
                                                       const uint8_t *buf, size_t len,
                                                       uint64_t base, pt_tag_hit_fn fn,
                                                       void *ctx)
{
    __m256i sets[4];
    for (int j = 0; j < 4; j++)
        sets[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)set->ascii[j]));
    const __m256i bitpos = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0,
                                            1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    const uint8_t *filter = set->filter;
    size_t i = 0;
    for (; i + 32 + 3 <= len; i += 32) {
        __m256i out = zero; /* 0xff where some byte is not in its set */
        for (int j = 0; j < 4; j++) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(buf + i + j));
            __m256i row = _mm256_shuffle_epi8(sets[j], _mm256_and_si256(x, nib));
            __m256i bit = _mm256_shuffle_epi8(
                bitpos, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib));
            out = _mm256_or_si256(out, _mm256_cmpeq_epi8(_mm256_and_si256(row, bit), zero));
        }
        uint32_t mask = ~(uint32_t)_mm256_movemask_epi8(out);
        while (mask) {
            size_t k = i + (size_t)__builtin_ctz(mask);
            mask &= mask - 1;
            if (filter[filter_hash(load32(buf + k))] && !check_at(set, buf, k, base, fn, ctx))
                return false;
        }
    }
    return scan_scalar(set, buf, i, len, base, fn, ctx);
}

__attribute__((target("sse2"))) static bool scan_sse2(const pt_tagset *set,
                                                      const uint8_t *buf, size_t len,
                                                      uint64_t base, pt_tag_hit_fn fn,
                                                      void *ctx)
{
    pairs pr;
    pairs_of(set, &pr);
    __m128i f[PT_TAGSCAN_SIMD_TAGS], l[PT_TAGSCAN_SIMD_TAGS];
    for (size_t k = 0; k < pr.count; k++) {
        f[k] = _mm_set1_epi8((char)pr.first[k]);
        l[k] = _mm_set1_epi8((char)pr.last[k]);
    }
    size_t i = 0;
    for (; i + 16 + 3 <= len; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(buf + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(buf + i + 3));
        __m128i m = _mm_setzero_si128();
        for (size_t k = 0; k < pr.count; k++)
            m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(a, f[k]),
                                              _mm_cmpeq_epi8(b, l[k])));
        uint32_t mask = (uint32_t)_mm_movemask_epi8(m);
        if (mask && !check_mask(set, buf, i, mask, base, fn, ctx))
            return false;
    }
    return scan_scalar(set, buf, i, len, base, fn, ctx);
}
#endif

static int detect_simd(void)
{
#if PT_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        return 2;
    if (__builtin_cpu_supports("sse2"))
        return 1;
#endif
    return 0;
}

/* A level forced by pt_tagscan_simd(level >= 0): one tag then goes through
 * the SIMD paths too, so that tests and benchmarks can compare them. */
static bool simd_forced;

int pt_tagscan_simd(int level)
{
    if (simd_level < 0 || level == -2)
        simd_level = detect_simd();
    if (level == -2)
        simd_forced = false;
    if (level >= 0) {
        int best = detect_simd();
        simd_level = level < best ? level : best;
        simd_forced = true;
    }
    return simd_level;
}

const char *pt_tagscan_simd_name(void)
{
    static const char *const names[] = {"scalar", "sse2", "avx2"};
    return names[pt_tagscan_simd(-1)];
}

/* How common each byte value is in Windows PE files, as a rank from 0
 * (rarest) to 255 (most common): counted over the real PE files of
 * tests/fixtures/pe (2.3 MB from Debian and npm packages), not over the
 * benchmark corpus.  A single-tag scan looks for the tag's rarest byte. */
static const uint8_t byte_rank[256] = {
    255, 253, 250, 251, 238, 241, 235, 197, 248, 225, 222, 211, 162, 178, 246, 217,
    224, 132, 101, 182, 193, 170, 115, 130, 203, 106,  85,  91, 102,  64,  49, 188,
    242,  94, 119,  88, 237, 141,  55,  58, 199, 142, 152,  90,  74, 150, 149,  87,
    209, 216, 184, 117, 168, 173,  83,  65, 179, 185,  99,  92,  97,  82,  40, 136,
    244, 245, 201, 205, 231, 226, 138, 148, 254, 219,  71, 113, 230, 171, 154, 145,
    207, 103, 200, 221, 210, 189, 126, 114, 146,  86,  53, 137, 108, 133,  72, 240,
    166, 228, 151, 212, 206, 243, 186, 153, 196, 236,  70, 129, 202, 174, 215, 218,
    198, 112, 227, 220, 247, 213, 144, 121, 165, 160,  43, 155, 120,  69,  79, 107,
    214, 109,  84, 234, 143, 208, 116,  16, 156, 249,  46, 239,  77, 223,  60,  41,
    163, 204,  39,  56, 172,  27,   5, 175,  67,   8,  22,  18,  23,   2,  12,  93,
    194,  81,  45,  57,  30,  15,   7,  14, 183, 187, 191,  10,  25,  19,   3,  13,
    127,   9,   1,  33, 122,  44,  76,  47, 140, 181, 110,  21,  34,  28,  98, 139,
    229, 157,  96, 195, 169,  63, 125, 118, 135, 131,  32,  26, 128,  59,  51,  36,
    134,  66, 147,  61,  38, 111, 167,   6,  73,  29,  17,  48,   4,   0,  20,  89,
    190, 124,  75,  80, 164,  11,  31,  37, 233, 176,  54, 177, 159,  52,  35,  68,
    123,  42,  24, 161,  62, 104, 105, 100, 158, 232,  50,  78,  95, 192, 180, 252,
};

/* One tag: glibc's memchr (SIMD, one compare per byte) finds its rarest
 * byte, and only those places are checked whole. */
/* The positions of a tag's two rarest bytes, rarest first. */
static void rare_pair(const uint8_t tag[4], size_t *a, size_t *b)
{
    *a = 0;
    for (size_t k = 1; k < 4; k++)
        if (byte_rank[tag[k]] < byte_rank[tag[*a]])
            *a = k;
    *b = *a == 0 ? 1 : 0;
    for (size_t k = 0; k < 4; k++)
        if (k != *a && byte_rank[tag[k]] < byte_rank[tag[*b]])
            *b = k;
}

/* Reports a hit at start when the 4 bytes there are the tag. */
static inline bool one_at(const uint8_t *buf, const uint8_t *start, const uint8_t tag[4],
                          uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    if (memcmp(start, tag, 4) != 0)
        return true;
    pt_tag_hit hit = {0, base + (uint64_t)(start - buf)};
    return fn(ctx, &hit);
}

/* One tag, no AVX2: glibc's memchr finds the rarest byte. */
static void scan_one_memchr(const uint8_t *buf, size_t len, const uint8_t tag[4], size_t at,
                            uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    const uint8_t *p = buf + at, *end = buf + len - (3 - at);
    while (p < end && (p = memchr(p, tag[at], (size_t)(end - p))) != NULL) {
        if (!one_at(buf, p - at, tag, base, fn, ctx))
            return;
        p++;
    }
}

#if PT_X86
/* One tag with AVX2: the two rarest bytes compared at their offsets, 32
 * positions a step (the "packed pair" filter); few places pass it. */
__attribute__((target("avx2"))) static void scan_one_avx2(const uint8_t *buf, size_t len,
                                                          const uint8_t tag[4], size_t a,
                                                          size_t b, uint64_t base,
                                                          pt_tag_hit_fn fn, void *ctx)
{
    const __m256i va = _mm256_set1_epi8((char)tag[a]), vb = _mm256_set1_epi8((char)tag[b]);
    size_t i = 0;
    for (; i + 32 + 3 <= len; i += 32) {
        __m256i x = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(buf + i + a)), va);
        __m256i y = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(buf + i + b)), vb);
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(x, y));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (!one_at(buf, buf + i + bit, tag, base, fn, ctx))
                return;
            mask &= mask - 1;
        }
    }
    for (; i + 4 <= len; i++)
        if (!one_at(buf, buf + i, tag, base, fn, ctx))
            return;
}
#endif

static void scan_one(const pt_tagset *set, const uint8_t *buf, size_t len, uint64_t base,
                     pt_tag_hit_fn fn, void *ctx)
{
    uint8_t tag[4];
    memcpy(tag, set->tags[0], 4);
    size_t a, b;
    rare_pair(tag, &a, &b);
#if PT_X86
    /* a truly rare byte: memchr skips fastest; else filter on the pair */
    if (byte_rank[tag[a]] >= 96 && (simd_level >= 0 ? simd_level : pt_tagscan_simd(-1)) == 2) {
        scan_one_avx2(buf, len, tag, a, b, base, fn, ctx);
        return;
    }
#endif
    scan_one_memchr(buf, len, tag, a, base, fn, ctx);
}

void pt_tagscan_buffer(const pt_tagset *set, const uint8_t *buf, size_t len,
                       uint64_t base, pt_tag_hit_fn fn, void *ctx)
{
    if (set->count == 0 || len < 4)
        return;
    if (set->count == 1 && !simd_forced) {
        scan_one(set, buf, len, base, fn, ctx);
        return;
    }
#if PT_X86
    int level = simd_level >= 0 ? simd_level : pt_tagscan_simd(-1);
    if (level == 2 && set->count > PT_TAGSCAN_SIMD_TAGS && set->count <= PT_TAGSCAN_TEDDY_TAGS) {
        scan_teddy(set, buf, len, base, fn, ctx);
        return;
    }
    if (level == 2 && set->count > PT_TAGSCAN_TEDDY_TAGS && set->all_ascii) {
        scan_ascii(set, buf, len, base, fn, ctx);
        return;
    }
    if (set->count <= PT_TAGSCAN_SIMD_TAGS) {
        if (level == 2) {
            scan_avx2(set, buf, len, base, fn, ctx);
            return;
        }
        if (level == 1) {
            scan_sse2(set, buf, len, base, fn, ctx);
            return;
        }
    }
#endif
    scan_scalar(set, buf, 0, len, base, fn, ctx);
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

pt_code pt_tagscan_rfile(const pt_tagset *set, pt_rfile *f, uint8_t *scratch,
                         size_t scratch_len, pt_tag_chunk_fn chunk, pt_tag_hit_fn fn,
                         void *ctx, uint64_t *bytes, pt_error *err)
{
    *bytes = 0;
    if (scratch_len < 64)
        return pt_error_set(err, PT_EUSAGE, f->path, "scan buffer too small");
    stop_ctx sc = {fn, ctx, false};
    size_t keep = 0;      /* bytes carried over from the last read */
    uint64_t base = 0;    /* file offset of scratch[0] */
    while (!sc.stopped) {
        size_t n = 0;
        pt_code rc = pt_rfile_read(f, scratch + keep, scratch_len - keep, &n, err);
        if (rc != PT_OK)
            return rc;
        if (n == 0)
            break;
        *bytes += n;
        size_t have = keep + n;
        if (chunk)
            chunk(ctx, scratch, have, base);
        pt_tagscan_buffer(set, scratch, have, base, note_stop, &sc);
        keep = have < 3 ? have : 3;
        memmove(scratch, scratch + have - keep, keep);
        base += have - keep;
    }
    return PT_OK;
}

pt_code pt_tagscan_file(const pt_tagset *set, const char *path,
                        uint8_t *scratch, size_t scratch_len, pt_tag_hit_fn fn,
                        void *ctx, pt_error *err)
{
    pt_rfile f;
    pt_code rc = pt_rfile_open(&f, path, err);
    uint64_t bytes;
    if (rc == PT_OK)
        rc = pt_tagscan_rfile(set, &f, scratch, scratch_len, NULL, fn, ctx, &bytes, err);
    pt_rfile_close(&f);
    return rc;
}
