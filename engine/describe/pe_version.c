/*
 * pe_version.c - describe stage: decodes a VS_VERSIONINFO blob (the
 * RT_VERSION resource) into the fixed file/product versions and the
 * StringFileInfo tables, UTF-16LE to UTF-8.  Every read goes through
 * blob_at(); a malformed blob keeps what was read and sets PT_PE_BAD_VERSION.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"

#include <string.h>

#define FIXED_SIGNATURE 0xFEEF04BDu
#define FIXED_LEN 52u
#define NODE_HEADER_LEN 6u
#define MAX_KEY_CHARS 64u

typedef struct ver_ctx {
    pt_arena *arena;
    const uint8_t *data;
    size_t len;
    pt_pe_info *out;
} ver_ctx;

/* One node: wLength, wValueLength, wType, szKey, padding, Value, padding,
 * Children.  Offsets are from the start of the blob. */
typedef struct ver_node {
    size_t start, end;          /* end is clamped to the parent */
    uint16_t value_len;
    size_t key_off, key_chars;  /* key without its NUL */
    size_t value_off;           /* 32-bit aligned, <= end */
} ver_node;

/* The one bounds check: a pointer to `n` bytes at `off`, or NULL. */
static const uint8_t *blob_at(const ver_ctx *v, size_t off, size_t n)
{
    if (off > v->len || n > v->len - off)
        return NULL;
    return v->data + off;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static size_t align4(size_t off) { return (off + 3) & ~(size_t)3; }

static void bad(ver_ctx *v) { v->out->flags |= PT_PE_BAD_VERSION; }

/* Reads the node at `off`, which must end by `limit`.  A wLength past the
 * limit is clamped (and flagged) so what does fit is still read. */
static bool node_read(ver_ctx *v, size_t off, size_t limit, ver_node *n)
{
    const uint8_t *p = blob_at(v, off, NODE_HEADER_LEN);
    if (p == NULL || off + NODE_HEADER_LEN > limit) {
        bad(v);
        return false;
    }
    size_t wlen = le16(p);
    if (wlen < NODE_HEADER_LEN) {
        bad(v);
        return false;
    }
    n->start = off;
    n->end = off + wlen;
    if (n->end > limit) {
        bad(v);
        n->end = limit;
    }
    n->value_len = le16(p + 2);
    n->key_off = off + NODE_HEADER_LEN;
    size_t k = n->key_off;
    const uint8_t *c;
    while ((c = blob_at(v, k, 2)) != NULL && k + 2 <= n->end && le16(c) != 0)
        k += 2;
    if (c == NULL || k + 2 > n->end) {
        bad(v); /* the key runs to the end of the node: no value, no children */
        n->key_chars = (k - n->key_off) / 2;
        n->value_off = n->end;
        return true;
    }
    n->key_chars = (k - n->key_off) / 2;
    n->value_off = align4(k + 2) < n->end ? align4(k + 2) : n->end;
    return true;
}

/* True when the node's key is the ASCII string `want`. */
static bool key_is(const ver_ctx *v, const ver_node *n, const char *want)
{
    size_t len = strlen(want);
    if (n->key_chars != len)
        return false;
    const uint8_t *p = blob_at(v, n->key_off, 2 * len);
    for (size_t i = 0; p && i < len; i++)
        if (le16(p + 2 * i) != (uint8_t)want[i])
            return false;
    return p != NULL;
}

/* ---- UTF-16LE -> UTF-8 ---- */

static size_t utf8_put(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Decodes `chars` UTF-16LE units at `p` (already bounds-checked) into arena
 * memory, stopping at the first NUL; a lone surrogate becomes U+FFFD, a
 * TAB, CR or LF a space, another control character '?'. */
static char *utf16_to_utf8(pt_arena *arena, const uint8_t *p, size_t chars)
{
    char *s = pt_arena_alloc(arena, 3 * chars + 1);
    if (s == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < chars; i++) {
        uint32_t cp = le16(p + 2 * i);
        if (cp == 0)
            break;
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < chars) {
            uint32_t lo = le16(p + 2 * i + 2);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                i++;
            }
        }
        if (cp >= 0xd800 && cp <= 0xdfff)
            cp = 0xfffd;
        /* a version string is printed on terminals and in tickets: no
         * control characters (an escape sequence in a CompanyName) */
        if (cp == '\t' || cp == '\r' || cp == '\n')
            cp = ' ';
        else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            cp = '?';
        o += utf8_put(s + o, cp);
    }
    s[o] = '\0';
    return s;
}

/* ---- String, StringTable, StringFileInfo, VS_VERSIONINFO ---- */

/* Where each of the 8 known keys is stored in a table. */
static const char **string_slot(pt_string_table *t, const ver_ctx *v,
                                const ver_node *n)
{
    static const struct {
        const char *key;
        size_t field;
    } keys[] = {
        {"CompanyName", offsetof(pt_string_table, company_name)},
        {"FileDescription", offsetof(pt_string_table, file_description)},
        {"FileVersion", offsetof(pt_string_table, file_version)},
        {"InternalName", offsetof(pt_string_table, internal_name)},
        {"LegalCopyright", offsetof(pt_string_table, legal_copyright)},
        {"OriginalFilename", offsetof(pt_string_table, original_filename)},
        {"ProductName", offsetof(pt_string_table, product_name)},
        {"ProductVersion", offsetof(pt_string_table, product_version)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (key_is(v, n, keys[i].key))
            return (const char **)((char *)t + keys[i].field);
    return NULL;
}

/* A String node.  Its value runs to the end of the node and stops at the
 * first NUL: wValueLength is in characters by the spec but in bytes in
 * some files, so it only tells an empty value ("") from a present one. */
static pt_code parse_string(ver_ctx *v, const ver_node *n, pt_string_table *t)
{
    const char **slot = string_slot(t, v, n);
    if (slot == NULL || *slot != NULL)
        return PT_OK;
    size_t chars = n->value_len ? (n->end - n->value_off) / 2 : 0;
    const uint8_t *p = blob_at(v, n->value_off, 2 * chars);
    if (p == NULL) {
        bad(v);
        return PT_OK;
    }
    *slot = utf16_to_utf8(v->arena, p, chars);
    return *slot ? PT_OK : PT_ENOMEM;
}

typedef pt_code (*child_fn)(ver_ctx *v, const ver_node *child, void *arg,
                            unsigned depth);

/* Calls fn on each child of `parent`, which start after its value. */
static pt_code for_each_child(ver_ctx *v, const ver_node *parent, size_t first,
                              unsigned depth, child_fn fn, void *arg)
{
    if (depth > PT_MAX_VERSION_DEPTH) {
        bad(v);
        return PT_OK;
    }
    for (size_t off = align4(first); off < parent->end;) {
        ver_node child;
        if (!node_read(v, off, parent->end, &child))
            return PT_OK;
        pt_code rc = fn(v, &child, arg, depth);
        if (rc != PT_OK)
            return rc;
        off = align4(child.end);
    }
    return PT_OK;
}

static pt_code string_child(ver_ctx *v, const ver_node *n, void *arg,
                            unsigned depth)
{
    (void)depth;
    return parse_string(v, n, arg);
}

/* Appends an empty table; NULL on out of memory.  The array lives in the
 * arena with room for the next power of two of count, so it is copied only
 * when count is a power of two. */
static pt_string_table *table_append(ver_ctx *v)
{
    pt_pe_info *out = v->out;
    size_t count = out->string_table_count;
    if (count == 0 || (count & (count - 1)) == 0) {
        pt_string_table *grown =
            pt_arena_alloc(v->arena, 2 * (count ? count : 1) * sizeof *grown);
        if (grown == NULL)
            return NULL;
        if (count)
            memcpy(grown, out->string_tables, count * sizeof *grown);
        out->string_tables = grown;
    }
    pt_string_table *t = &out->string_tables[out->string_table_count++];
    memset(t, 0, sizeof *t);
    return t;
}

static pt_code table_child(ver_ctx *v, const ver_node *n, void *arg,
                           unsigned depth)
{
    (void)arg;
    if (v->out->string_table_count >= PT_MAX_STRING_TABLES) {
        v->out->flags |= PT_PE_LIMIT;
        return PT_OK;
    }
    pt_string_table *t = table_append(v);
    if (t == NULL)
        return PT_ENOMEM;
    const uint8_t *key = blob_at(v, n->key_off, 2 * n->key_chars);
    for (size_t i = 0; key && i < n->key_chars && i < sizeof t->key - 1; i++) {
        uint16_t c = le16(key + 2 * i);
        t->key[i] = (char)(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return for_each_child(v, n, n->value_off + n->value_len, depth + 1,
                          string_child, t);
}

static pt_code root_child(ver_ctx *v, const ver_node *n, void *arg,
                          unsigned depth)
{
    (void)arg;
    if (!key_is(v, n, "StringFileInfo"))
        return PT_OK; /* VarFileInfo and anything unknown */
    return for_each_child(v, n, n->value_off + n->value_len, depth + 1,
                          table_child, NULL);
}

/* VS_FIXEDFILEINFO; the first one read wins (kernel32.dll has 36 alike). */
static void parse_fixed(ver_ctx *v, const ver_node *root)
{
    const uint8_t *p = blob_at(v, root->value_off, FIXED_LEN);
    if (root->value_len < FIXED_LEN || p == NULL ||
        root->value_off + FIXED_LEN > root->end || le32(p) != FIXED_SIGNATURE) {
        if (root->value_len != 0)
            bad(v);
        return;
    }
    if (v->out->has_version)
        return;
    uint32_t f_ms = le32(p + 8), f_ls = le32(p + 12);
    uint32_t p_ms = le32(p + 16), p_ls = le32(p + 20);
    uint16_t *fv = v->out->file_version, *pv = v->out->product_version;
    fv[0] = (uint16_t)(f_ms >> 16), fv[1] = (uint16_t)f_ms;
    fv[2] = (uint16_t)(f_ls >> 16), fv[3] = (uint16_t)f_ls;
    pv[0] = (uint16_t)(p_ms >> 16), pv[1] = (uint16_t)p_ms;
    pv[2] = (uint16_t)(p_ls >> 16), pv[3] = (uint16_t)p_ls;
    v->out->has_version = true;
}

pt_code pt_pe_version_parse(pt_arena *arena, const uint8_t *data, size_t len,
                            pt_pe_info *out)
{
    ver_ctx v = {arena, data, data ? len : 0, out};
    ver_node root;
    if (!node_read(&v, 0, v.len, &root))
        return PT_OK;
    if (!key_is(&v, &root, "VS_VERSION_INFO")) {
        bad(&v);
        return PT_OK;
    }
    parse_fixed(&v, &root);
    return for_each_child(&v, &root, root.value_off + root.value_len, 2,
                          root_child, NULL);
}

/* ---- lookups ---- */

/* True for a table of US English (language 0409, any code page). */
static bool table_is_english(const pt_string_table *t)
{
    return strncmp(t->key, "0409", 4) == 0;
}

/* The first non-NULL field at `field` among English tables, else any. */
static const char *lookup(const pt_pe_info *pe, size_t field)
{
    if (pe == NULL)
        return NULL;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < pe->string_table_count; i++) {
            const pt_string_table *t = &pe->string_tables[i];
            const char *s = *(const char *const *)((const char *)t + field);
            if (s != NULL && (pass == 1 || table_is_english(t)))
                return s;
        }
    return NULL;
}

const char *pt_pe_company(const pt_pe_info *pe)
{
    return lookup(pe, offsetof(pt_string_table, company_name));
}

const char *pt_pe_description(const pt_pe_info *pe)
{
    return lookup(pe, offsetof(pt_string_table, file_description));
}

const char *pt_pe_file_version(const pt_pe_info *pe)
{
    return lookup(pe, offsetof(pt_string_table, file_version));
}

const char *pt_pe_product_name(const pt_pe_info *pe)
{
    return lookup(pe, offsetof(pt_string_table, product_name));
}

const char *pt_pe_product_version(const pt_pe_info *pe)
{
    return lookup(pe, offsetof(pt_string_table, product_version));
}

const char *pt_driver_numeric_version(pt_arena *arena, const pt_driver *d)
{
    if (!d->pe_read || !d->pe.has_version)
        return NULL;
    const uint16_t *f = d->pe.file_version;
    return pt_arena_printf(arena, "%u.%u.%u.%u", f[0], f[1], f[2], f[3]);
}
