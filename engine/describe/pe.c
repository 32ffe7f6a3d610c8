/*
 * pe.c - describe stage: the PE facts of a driver file (headers, sections,
 * pool-allocator imports, the security directory and the RT_VERSION
 * resources, which pe_version.c decodes).  Every read from the file goes
 * through pe_at(); malformed input leaves facts missing and sets flags.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"
#include "describe_int.h"

#include <string.h>

#define DIR_IMPORT 1u
#define DIR_RESOURCE 2u
#define DIR_SECURITY 4u
#define RT_VERSION 16u
#define IMPORT_DESC_LEN 20u
#define SECTION_HEADER_LEN 40u
#define MAX_DLL_NAME 256u
#define MAX_IMPORT_NAME 256u

typedef struct pe_ctx {
    pt_arena *arena;
    pt_src *src;            /* the file's bytes */
    uint64_t len;
    pt_pe_info *out;
    uint64_t opt;           /* file offset of the optional header */
    uint32_t dir_count;     /* usable data directory entries */
    uint64_t dir_table;     /* file offset of the data directory */
    uint32_t file_alignment;
    uint32_t res_rva;       /* resource directory RVA */
    uint32_t res_dirs[PT_MAX_RESOURCE_DIRS];
    size_t res_dir_count;
    size_t version_count;
} pe_ctx;

/* The one bounds check: a pointer to `n` bytes at file offset `off`, or
 * NULL when they do not all lie inside the file.  The pointer is good
 * until the next pe_at (a file source reads through one window), so
 * callers take the fields they need at once. */
static const uint8_t *pe_at(const pe_ctx *pe, uint64_t off, uint64_t n)
{
    return pt_src_at(pe->src, off, n);
}

/* The bounds check alone, for ranges that are not read here. */
static bool pe_fits(const pe_ctx *pe, uint64_t off, uint64_t n)
{
    return pt_src_fits(pe->src, off, n);
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Reads a little-endian field; false (and *v = 0) when out of the file. */
static bool rd16(const pe_ctx *pe, uint64_t off, uint16_t *v)
{
    const uint8_t *p = pe_at(pe, off, 2);
    *v = p ? le16(p) : 0;
    return p != NULL;
}

static bool rd32(const pe_ctx *pe, uint64_t off, uint32_t *v)
{
    const uint8_t *p = pe_at(pe, off, 4);
    *v = p ? le32(p) : 0;
    return p != NULL;
}

/* ---- RVA -> file offset ---- */

/* Where the loader reads a section from: it rounds PointerToRawData down
 * to 512 when the file alignment is at least that. */
static uint32_t section_file_start(const pe_ctx *pe, const pt_section *s)
{
    return pe->file_alignment >= 0x200 ? s->raw_offset & ~0x1ffu : s->raw_offset;
}

/* Maps an RVA to a file offset; false when no file byte backs it. */
static bool rva_to_offset(const pe_ctx *pe, uint32_t rva, uint64_t *off)
{
    const pt_pe_info *out = pe->out;
    uint32_t lowest = UINT32_MAX;
    for (size_t i = 0; i < out->section_count; i++) {
        const pt_section *s = &out->sections[i];
        uint32_t span = s->virtual_size ? s->virtual_size : s->raw_size;
        if (s->virtual_address < lowest)
            lowest = s->virtual_address;
        if (rva < s->virtual_address || rva - s->virtual_address >= span)
            continue;
        uint32_t delta = rva - s->virtual_address;
        if (delta >= s->raw_size)
            continue; /* zero-filled in memory, not in the file */
        *off = (uint64_t)section_file_start(pe, s) + delta;
        return *off < pe->len;
    }
    if (rva >= lowest)
        return false;
    *off = rva; /* inside the headers, which are mapped as they are */
    return *off < pe->len;
}

/* ---- headers ---- */

/* DOS and NT signatures; false when the file is not a PE image. */
static bool parse_signatures(pe_ctx *pe, uint32_t *lfanew)
{
    const uint8_t *mz = pe_at(pe, 0, 0x40);
    if (mz == NULL || mz[0] != 'M' || mz[1] != 'Z') {
        pe->out->flags |= PT_PE_NOT_PE | (pe->len < 0x40 ? PT_PE_TRUNCATED : 0u);
        return false;
    }
    *lfanew = le32(mz + 0x3c);
    const uint8_t *sig = pe_at(pe, *lfanew, 4);
    if (sig == NULL) {
        pe->out->flags |= PT_PE_NOT_PE | PT_PE_TRUNCATED;
        return false;
    }
    if (memcmp(sig, "PE\0\0", 4) != 0) {
        pe->out->flags |= PT_PE_NOT_PE;
        return false;
    }
    return true;
}

/* IMAGE_FILE_HEADER; returns the section count and optional header size. */
static bool parse_file_header(pe_ctx *pe, uint64_t fh, uint16_t *nsec,
                              uint16_t *opt_len)
{
    const uint8_t *p = pe_at(pe, fh, 20);
    if (p == NULL) {
        pe->out->flags |= PT_PE_TRUNCATED;
        return false;
    }
    pe->out->machine = le16(p);
    *nsec = le16(p + 2);
    pe->out->timestamp = le32(p + 4);
    *opt_len = le16(p + 16);
    pe->out->characteristics = le16(p + 18);
    pe->opt = fh + 20;
    return true;
}

/* IMAGE_OPTIONAL_HEADER32/64: the fields both layouts share by offset and
 * the ones that move.  A magic that is neither is not a PE image. */
static bool parse_optional_header(pe_ctx *pe)
{
    pt_pe_info *out = pe->out;
    uint16_t magic;
    if (!rd16(pe, pe->opt, &magic)) {
        out->flags |= PT_PE_TRUNCATED;
        return false;
    }
    if (magic != 0x10b && magic != 0x20b) {
        out->flags |= PT_PE_NOT_PE;
        return false;
    }
    out->pe32plus = magic == 0x20b;
    uint64_t dirs_at = pe->opt + (out->pe32plus ? 112u : 96u);
    if (!pe_fits(pe, pe->opt, dirs_at - pe->opt)) {
        out->flags |= PT_PE_TRUNCATED;
        return false;
    }
    rd32(pe, pe->opt + (out->pe32plus ? 24u : 28u), &out->image_base_low);
    rd32(pe, pe->opt + 36, &pe->file_alignment);
    rd32(pe, pe->opt + 64, &out->checksum);
    out->checksum_offset = (uint32_t)(pe->opt + 64);
    rd16(pe, pe->opt + 68, &out->subsystem);
    uint32_t count;
    rd32(pe, dirs_at - 4, &count);
    pe->dir_count = count < 16 ? count : 16;
    pe->dir_table = dirs_at;
    return true;
}

/* Data directory entry `index`: its RVA (a file offset for security) and
 * size; false when the entry is absent or lies outside the file. */
static bool data_dir(pe_ctx *pe, uint32_t index, uint32_t *rva,
                     uint32_t *size)
{
    *rva = *size = 0;
    if (index >= pe->dir_count)
        return false;
    const uint8_t *p = pe_at(pe, pe->dir_table + 8u * index, 8);
    if (p == NULL) {
        pe->out->flags |= PT_PE_TRUNCATED;
        return false;
    }
    *rva = le32(p);
    *size = le32(p + 4);
    return true;
}

/* Data directory 4 holds a file offset, not an RVA.  One that points out
 * of the file is dropped (clam-upack.exe) so no reader can trust it. */
static void parse_security(pe_ctx *pe)
{
    pt_pe_info *out = pe->out;
    uint32_t off, size;
    if (!data_dir(pe, DIR_SECURITY, &off, &size))
        return;
    out->security_dir_offset = (uint32_t)(pe->dir_table + 8u * DIR_SECURITY);
    if (size == 0)
        return; /* unsigned */
    if (!pe_fits(pe, off, size)) {
        out->flags |= PT_PE_BAD_SECURITY;
        return;
    }
    out->security_offset = off;
    out->security_size = size;
}

/* ---- sections ---- */

static void section_read(const uint8_t *p, pt_section *s)
{
    for (size_t i = 0; i < 8; i++) {
        uint8_t c = p[i];
        /* binary names (packers) would break reports; keep them readable */
        s->name[i] = (char)(c == 0 || (c >= 0x20 && c < 0x7f) ? c : '?');
    }
    s->name[8] = '\0';
    s->virtual_size = le32(p + 8);
    s->virtual_address = le32(p + 12);
    s->raw_size = le32(p + 16);
    s->raw_offset = le32(p + 20);
    s->characteristics = le32(p + 36);
}

static pt_code parse_sections(pe_ctx *pe, uint64_t table, uint16_t count)
{
    pt_pe_info *out = pe->out;
    size_t n = count;
    if (n > PT_MAX_SECTIONS) {
        out->flags |= PT_PE_LIMIT;
        n = PT_MAX_SECTIONS;
    }
    if (n == 0)
        return PT_OK;
    out->sections = pt_arena_alloc(pe->arena, n * sizeof *out->sections);
    if (out->sections == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = pe_at(pe, table + SECTION_HEADER_LEN * i, SECTION_HEADER_LEN);
        if (p == NULL) {
            out->flags |= PT_PE_BAD_SECTIONS | PT_PE_TRUNCATED;
            break;
        }
        section_read(p, &out->sections[out->section_count++]);
    }
    return PT_OK;
}

/* ---- imports ---- */

/* A NUL-terminated string at an RVA, at most `max` bytes; NULL if none. */
static const char *string_at_rva(const pe_ctx *pe, uint32_t rva, size_t max,
                                 size_t *len)
{
    uint64_t off;
    if (!rva_to_offset(pe, rva, &off))
        return NULL;
    size_t n = pe->len - off < max ? (size_t)(pe->len - off) : max;
    const uint8_t *p = pe_at(pe, off, n);
    const uint8_t *nul = p ? memchr(p, 0, n) : NULL;
    if (nul == NULL)
        return NULL;
    *len = (size_t)(nul - p);
    return (const char *)p;
}

static unsigned pool_import_bit(const char *name, size_t len)
{
    static const struct {
        const char *name;
        unsigned bit;
    } apis[] = {
        {"ExAllocatePoolWithTag", PT_IMP_EXALLOCATEPOOLWITHTAG},
        {"ExAllocatePoolWithQuotaTag", PT_IMP_EXALLOCATEPOOLWITHQUOTATAG},
        {"ExAllocatePool2", PT_IMP_EXALLOCATEPOOL2},
        {"ExAllocatePool3", PT_IMP_EXALLOCATEPOOL3},
        {"ExFreePoolWithTag", PT_IMP_EXFREEPOOLWITHTAG},
        {"ExAllocatePool", PT_IMP_EXALLOCATEPOOL},
        {"ExFreePool", PT_IMP_EXFREEPOOL},
    };
    for (size_t i = 0; i < sizeof apis / sizeof apis[0]; i++)
        if (strlen(apis[i].name) == len && memcmp(apis[i].name, name, len) == 0)
            return apis[i].bit;
    return 0;
}

/* Reads thunk `i` of a lookup table; false at its end or out of the file. */
static bool thunk_read(pe_ctx *pe, uint32_t table_rva, size_t i, uint64_t *thunk)
{
    size_t width = pe->out->pe32plus ? 8 : 4;
    uint64_t off;
    uint64_t rva = (uint64_t)table_rva + i * width;
    if (rva > UINT32_MAX || !rva_to_offset(pe, (uint32_t)rva, &off)) {
        pe->out->flags |= PT_PE_BAD_IMPORTS;
        return false;
    }
    const uint8_t *p = pe_at(pe, off, width);
    if (p == NULL) {
        pe->out->flags |= PT_PE_BAD_IMPORTS;
        return false;
    }
    *thunk = width == 8 ? le32(p) | (uint64_t)le32(p + 4) << 32 : le32(p);
    return *thunk != 0;
}

/* Walks the names imported from one DLL, setting PT_IMP_* bits and
 * noting the IAT slot (iat_rva + i * width) of each pool import. */
static void walk_thunks(pe_ctx *pe, uint32_t table_rva, uint32_t iat_rva)
{
    uint64_t ordinal_flag = pe->out->pe32plus ? 1ull << 63 : 1ull << 31;
    uint64_t thunk;
    for (size_t i = 0; thunk_read(pe, table_rva, i, &thunk); i++) {
        if (i == PT_MAX_IMPORTS_PER_DLL) {
            pe->out->flags |= PT_PE_LIMIT;
            return;
        }
        if (thunk & ordinal_flag)
            continue;
        size_t len;
        /* IMAGE_IMPORT_BY_NAME: a 2-byte hint, then the name */
        const char *name = thunk <= UINT32_MAX - 2
                               ? string_at_rva(pe, (uint32_t)thunk + 2, MAX_IMPORT_NAME, &len)
                               : NULL;
        if (name == NULL) {
            pe->out->flags |= PT_PE_BAD_IMPORTS;
            continue;
        }
        unsigned bit = pool_import_bit(name, len);
        pe->out->pool_imports |= bit;
        uint64_t slot = (uint64_t)iat_rva + i * (pe->out->pe32plus ? 8u : 4u);
        if (bit && iat_rva && slot <= UINT32_MAX)
            pe->out->pool_iat_rva[__builtin_ctz(bit)] = (uint32_t)slot;
    }
}

static bool is_ntoskrnl(const char *name, size_t len)
{
    static const char want[] = "ntoskrnl.exe";
    if (len != sizeof want - 1)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != want[i])
            return false;
    }
    return true;
}

/* One IMAGE_IMPORT_DESCRIPTOR; false at the terminating all-zero one. */
static bool import_descriptor(pe_ctx *pe, const uint8_t *d)
{
    uint32_t lookup = le32(d), name_rva = le32(d + 12), iat = le32(d + 16);
    if (lookup == 0 && name_rva == 0 && iat == 0)
        return false;
    size_t len;
    const char *name = string_at_rva(pe, name_rva, MAX_DLL_NAME, &len);
    if (name == NULL) {
        pe->out->flags |= PT_PE_BAD_IMPORTS;
        return true;
    }
    if (is_ntoskrnl(name, len))
        walk_thunks(pe, lookup ? lookup : iat, iat);
    return true;
}

static void parse_imports(pe_ctx *pe)
{
    uint32_t rva, size;
    if (!data_dir(pe, DIR_IMPORT, &rva, &size) || rva == 0)
        return;
    for (size_t i = 0;; i++) {
        if (i == PT_MAX_IMPORT_DLLS) {
            pe->out->flags |= PT_PE_LIMIT;
            return;
        }
        uint64_t off;
        uint64_t at = (uint64_t)rva + i * IMPORT_DESC_LEN;
        const uint8_t *d = NULL;
        if (at <= UINT32_MAX && rva_to_offset(pe, (uint32_t)at, &off))
            d = pe_at(pe, off, IMPORT_DESC_LEN);
        if (d == NULL) {
            pe->out->flags |= PT_PE_BAD_IMPORTS;
            return;
        }
        if (!import_descriptor(pe, d))
            return;
    }
}

/* ---- resources ---- */

/* A resource directory at `rel` (relative to the resource root): its file
 * offset and entry count, or false when it is out of bounds or a loop. */
static bool res_dir_open(pe_ctx *pe, uint32_t rel, uint64_t *off, size_t *count)
{
    for (size_t i = 0; i < pe->res_dir_count; i++)
        if (pe->res_dirs[i] == rel) {
            pe->out->flags |= PT_PE_BAD_RESOURCES;
            return false;
        }
    if (pe->res_dir_count == PT_MAX_RESOURCE_DIRS) {
        pe->out->flags |= PT_PE_LIMIT;
        return false;
    }
    pe->res_dirs[pe->res_dir_count++] = rel;
    uint64_t rva = (uint64_t)pe->res_rva + rel;
    const uint8_t *p = NULL;
    if (rva <= UINT32_MAX && rva_to_offset(pe, (uint32_t)rva, off))
        p = pe_at(pe, *off, 16);
    if (p == NULL) {
        pe->out->flags |= PT_PE_BAD_RESOURCES;
        return false;
    }
    *count = (size_t)le16(p + 12) + le16(p + 14);
    if (*count > PT_MAX_RESOURCE_ENTRIES) {
        pe->out->flags |= PT_PE_LIMIT;
        *count = PT_MAX_RESOURCE_ENTRIES;
    }
    return true;
}

/* An IMAGE_RESOURCE_DATA_ENTRY: hands its blob to the version parser. */
static pt_code res_version_blob(pe_ctx *pe, uint32_t rel)
{
    if (pe->version_count == PT_MAX_VERSION_RESOURCES) {
        pe->out->flags |= PT_PE_LIMIT;
        return PT_OK;
    }
    uint64_t rva = (uint64_t)pe->res_rva + rel, off;
    const uint8_t *entry = NULL, *blob = NULL;
    uint32_t data_rva = 0, size = 0;
    if (rva <= UINT32_MAX && rva_to_offset(pe, (uint32_t)rva, &off))
        entry = pe_at(pe, off, 16);
    if (entry != NULL) {
        data_rva = le32(entry);
        size = le32(entry + 4);
    }
    /* nothing past 64 KiB belongs to a VS_VERSIONINFO (16-bit wLength) */
    size_t n = size < PT_MAX_VERSION_BLOB ? size : PT_MAX_VERSION_BLOB;
    if (entry != NULL && rva_to_offset(pe, data_rva, &off) && pe_fits(pe, off, size))
        blob = pe_at(pe, off, n);
    if (blob == NULL) {
        pe->out->flags |= PT_PE_BAD_RESOURCES;
        return PT_OK;
    }
    pe->version_count++;
    return pt_pe_version_parse(pe->arena, blob, n, pe->out);
}

/* Walks one directory of the RT_VERSION subtree: level 0 is the type
 * (only 16 is followed), 1 the name, 2 the language, whose entries are
 * data.  Deeper subdirectories are a trick and are not followed. */
static pt_code res_walk(pe_ctx *pe, uint32_t rel, unsigned level)
{
    uint64_t off;
    size_t count;
    if (!res_dir_open(pe, rel, &off, &count))
        return PT_OK;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *e = pe_at(pe, off + 16 + 8 * i, 8);
        if (e == NULL) {
            pe->out->flags |= PT_PE_BAD_RESOURCES;
            return PT_OK;
        }
        uint32_t id = le32(e), target = le32(e + 4);
        bool is_dir = (target & 0x80000000u) != 0;
        target &= 0x7fffffffu;
        if (level == 0 && id != RT_VERSION)
            continue;
        pt_code rc = PT_OK;
        if (is_dir && level + 1 < PT_MAX_RESOURCE_DEPTH)
            rc = res_walk(pe, target, level + 1);
        else if (!is_dir && level + 1 == PT_MAX_RESOURCE_DEPTH)
            rc = res_version_blob(pe, target);
        else
            pe->out->flags |= PT_PE_BAD_RESOURCES;
        if (rc != PT_OK)
            return rc;
    }
    return PT_OK;
}

static pt_code parse_resources(pe_ctx *pe)
{
    uint32_t size;
    if (!data_dir(pe, DIR_RESOURCE, &pe->res_rva, &size) || pe->res_rva == 0)
        return PT_OK;
    return res_walk(pe, 0, 0);
}

/* ---- public ---- */

static pt_code parse_nt(pe_ctx *pe, uint32_t lfanew)
{
    uint16_t nsec, opt_len;
    if (!parse_file_header(pe, (uint64_t)lfanew + 4, &nsec, &opt_len))
        return PT_OK;
    pt_code rc = parse_sections(pe, pe->opt + opt_len, nsec);
    if (rc != PT_OK || !parse_optional_header(pe))
        return rc;
    parse_security(pe);
    parse_imports(pe);
    return parse_resources(pe);
}

pt_code pt_pe_parse_src(pt_arena *arena, pt_src *src, pt_pe_info *out)
{
    memset(out, 0, sizeof *out);
    pe_ctx pe = {.arena = arena, .src = src, .len = src->len, .out = out};
    uint32_t lfanew;
    if (!parse_signatures(&pe, &lfanew))
        return PT_OK;
    return parse_nt(&pe, lfanew);
}

pt_code pt_pe_parse(pt_arena *arena, const uint8_t *data, size_t len,
                    pt_pe_info *out)
{
    pt_src src = pt_src_memory(data, len);
    return pt_pe_parse_src(arena, &src, out);
}

const char *pt_pe_machine_name(uint16_t machine)
{
    switch (machine) {
    case 0x8664: return "x64";
    case 0x014c: return "x86";
    case 0xaa64: return "ARM64";
    case 0x01c4: return "ARM";
    default: return "unknown";
    }
}

const pt_section *pt_pe_section_at(const pt_pe_info *pe, uint64_t off)
{
    for (size_t i = 0; pe && i < pe->section_count; i++) {
        const pt_section *s = &pe->sections[i];
        if (off >= s->raw_offset && off - s->raw_offset < s->raw_size)
            return s;
    }
    return NULL;
}
