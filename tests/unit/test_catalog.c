/* test_catalog.c - unit tests of catalog.c on the test Windows tree of
 * tests/fixtures/signed/root (made by scripts/make-signed-fixtures.sh): a
 * signed CTL listing ctsvid.sys and ctsnet.sys, a broken .cat, and
 * mfehidk.sys, which no catalog covers. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROOT "signed/root"
#define DRIVERS "signed/root/Windows/System32/drivers/"
#define CAT_DIR "Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"

static pt_catalog_index *open_root(const char *root)
{
    pt_catalog_index *idx = NULL;
    pt_error err;
    assert_int_equal(pt_catalog_open(root, &idx, &err), PT_OK);
    assert_non_null(idx);
    return idx;
}

static void the_test_tree_indexes_one_catalog_and_skips_the_broken_one(void **state)
{
    (void)state;
    pt_catalog_index *idx = open_root(fixture(ROOT));
    assert_int_equal(pt_catalog_file_count(idx), 1);
    assert_int_equal(pt_catalog_skipped_count(idx), 1);
    /* ctsvid: sha1 tag + sha256 attribute; ctsnet: sha256 as hex text + attribute. */
    assert_int_equal(pt_catalog_member_count(idx), 4);
    pt_catalog_close(idx);
}

static void a_member_is_found_by_its_sha1_tag_and_its_sha256_attribute(void **state)
{
    test_signed l;
    test_load_signed(*state, DRIVERS "ctsvid.sys", &l);
    pt_catalog_index *idx = open_root(fixture(ROOT));
    uint8_t h[64];
    size_t n;
    assert_int_equal(pt_authenticode_hash(l.data, l.len, &l.pe, "sha1", h, &n), PT_OK);
    const char *by_sha1 = pt_catalog_lookup(idx, h, n);
    assert_non_null(by_sha1);
    char want[300];   /* joined with the system's separator */
    snprintf(want, sizeof want, "%s", test_join("CatRoot", "{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"));
    assert_non_null(strstr(by_sha1, test_join(want, "test.cat")));
    assert_int_equal(pt_authenticode_hash(l.data, l.len, &l.pe, "sha256", h, &n), PT_OK);
    assert_ptr_equal(pt_catalog_lookup(idx, h, n), by_sha1);
    h[0] ^= 1;
    assert_null(pt_catalog_lookup(idx, h, n));
    pt_catalog_close(idx);
}

static void a_sha256_tag_written_as_hex_text_is_found(void **state)
{
    test_signed l;
    test_load_signed(*state, DRIVERS "ctsnet.sys", &l);
    pt_catalog_index *idx = open_root(fixture(ROOT));
    uint8_t h[64];
    size_t n;
    assert_int_equal(pt_authenticode_hash(l.data, l.len, &l.pe, "sha256", h, &n), PT_OK);
    assert_non_null(pt_catalog_lookup(idx, h, n));
    assert_int_equal(pt_authenticode_hash(l.data, l.len, &l.pe, "sha1", h, &n), PT_OK);
    assert_null(pt_catalog_lookup(idx, h, n)); /* listed by sha256 only */
    pt_catalog_close(idx);
}

static void a_covered_unsigned_driver_becomes_catalog_signed(void **state)
{
    test_signed l;
    test_load_signed(*state, DRIVERS "ctsvid.sys", &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "unsigned");
    pt_catalog_index *idx = open_root(fixture(ROOT));
    assert_int_equal(pt_catalog_resolve(*state, idx, l.data, l.len, &l.pe, &l.sig), PT_OK);
    pt_catalog_close(idx);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_non_null(l.sig.catalog);
    assert_non_null(strstr(l.sig.catalog, "test.cat"));
    assert_string_equal(l.sig.subject, "Contoso Test Code Signing (TEST ONLY)");
    assert_string_equal(l.sig.issuer, "pooltriage Test Root CA (TEST ONLY)");
    assert_string_equal(l.sig.serial, "7e57c0de01");
    assert_string_equal(l.sig.digest_algorithm, "sha256");
    assert_true(l.sig.digest_ok);
    assert_int_equal(l.sig.signature_count, 1);
    assert_true(l.sig.signatures[0].signature_ok);
    assert_null(l.sig.reason);
}

static void an_uncovered_driver_stays_unsigned(void **state)
{
    test_signed l;
    test_load_signed(*state, DRIVERS "mfehidk.sys", &l);
    pt_catalog_index *idx = open_root(fixture(ROOT));
    assert_int_equal(pt_catalog_resolve(*state, idx, l.data, l.len, &l.pe, &l.sig), PT_OK);
    pt_catalog_close(idx);
    assert_string_equal(pt_sig_status_name(l.sig.status), "unsigned");
    assert_null(l.sig.catalog);
}

static void an_embedded_signature_is_left_alone(void **state)
{
    test_signed l;
    test_load_signed(*state, "signed/x64/mfeavfk-tampered.sys", &l);
    pt_catalog_index *idx = open_root(fixture(ROOT));
    assert_int_equal(pt_catalog_resolve(*state, idx, l.data, l.len, &l.pe, &l.sig), PT_OK);
    pt_catalog_close(idx);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_null(l.sig.catalog);
}

static void a_root_without_catroot_gives_an_empty_index(void **state)
{
    (void)state;
    pt_catalog_index *idx = open_root(fixture("pe"));
    assert_int_equal(pt_catalog_file_count(idx), 0);
    assert_int_equal(pt_catalog_member_count(idx), 0);
    uint8_t h[32] = {0};
    assert_null(pt_catalog_lookup(idx, h, sizeof h));
    pt_catalog_close(idx);
}

static void a_root_that_is_not_a_folder_is_an_io_error(void **state)
{
    (void)state;
    pt_catalog_index *idx = (pt_catalog_index *)1;
    pt_error err;
    assert_int_equal(pt_catalog_open(fixture("signed/no-such-root"), &idx, &err), PT_EIO);
    assert_null(idx);
    assert_non_null(strstr(err.message, "--root"));
}

/* The test tree's catalog, copied to path. */
static void write_test_cat(void **state, const char *path)
{
    size_t n;
    const char *cat = fixture_text(*state, ROOT "/" CAT_DIR "/test.cat", &n);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(cat, 1, n, f), n);
    fclose(f);
}

static void catroot_names_are_matched_case_insensitively(void **state)
{
    char tmpl[] = "/tmp/pt-catalog-XXXXXX";
    char *root = pt_platform_make_temp_dir(tmpl);
    assert_non_null(root);
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/WINDOWS", root);
    assert_int_equal(pt_platform_mkdir(dir), 0);
    snprintf(dir, sizeof dir, "%s/WINDOWS/system32", root);
    assert_int_equal(pt_platform_mkdir(dir), 0);
    snprintf(dir, sizeof dir, "%s/WINDOWS/system32/catroot", root);
    assert_int_equal(pt_platform_mkdir(dir), 0);
    snprintf(path, sizeof path, "%s/TEST.CAT", dir);
    write_test_cat(state, path);
    pt_catalog_index *idx = open_root(root);
    assert_int_equal(pt_catalog_file_count(idx), 1);
    pt_catalog_close(idx);
    assert_int_equal(test_remove_tree(root), 0);
}

static void a_catalog_past_the_walk_depth_limit_is_said_not_dropped(void **state)
{
    char tmpl[] = "/tmp/pt-catalog-XXXXXX";
    char *root = pt_platform_make_temp_dir(tmpl);
    assert_non_null(root);
    char dirs[20][400], path[600];
    int n = 0;
    /* joined with the system's separator: the walk reports the path it made */
    char win[300], sys32[300];
    assert_true(pt_path_join_buf(win, sizeof win, root, "Windows"));
    assert_true(pt_path_join_buf(sys32, sizeof sys32, win, "System32"));
    assert_true(pt_path_join_buf(dirs[n++], sizeof dirs[0], sys32, "CatRoot"));
    for (int i = 1; i <= 17; i++, n++) {   /* 17 levels below CatRoot: past the limit */
        char part[8];
        snprintf(part, sizeof part, "d%d", i);
        assert_true(pt_path_join_buf(dirs[n], sizeof dirs[0], dirs[n - 1], part));
    }
    pt_error err = {0};
    assert_int_equal(pt_platform_mkdir_p(dirs[n - 1], &err), PT_OK);
    snprintf(path, sizeof path, "%.400s/test.cat", dirs[n - 1]);
    write_test_cat(state, path);
    pt_catalog_index *idx = open_root(root);
    assert_int_equal(pt_catalog_file_count(idx), 0);
    assert_int_equal(pt_catalog_problem_count(idx), 1);
    const char *where, *message;
    pt_catalog_problem(idx, 0, &where, &message);
    assert_string_equal(where, dirs[n - 1]);
    assert_non_null(strstr(message, "deeper than 16 levels"));
    pt_catalog_close(idx);
    assert_int_equal(test_remove_tree(root), 0);
}

/* A tar made here with the test tree's two catalogs under a CatRoot
 * folder (any case), and one .cat outside it that must be left alone. */
static void write_case_tar(void **state, const char *path)
{
    size_t good_len, bad_len;
    const char *good = fixture_text(*state, ROOT "/" CAT_DIR "/test.cat", &good_len);
    const char *bad = fixture_text(*state, ROOT "/" CAT_DIR "/broken.cat", &bad_len);
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    const struct {
        const char *name;
        const char *data;
        size_t len;
    } entries[] = {
        {"host42/Windows/System32/catroot/{F750E6C3}/test.cat", good, good_len},
        {"host42/Windows/System32/CatRoot/{F750E6C3}/broken.cat", bad, bad_len},
        {"host42/elsewhere/test.cat", good, good_len},
    };
    for (size_t i = 0; i < 3; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, entries[i].name);
        archive_entry_set_size(e, (la_int64_t)entries[i].len);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, entries[i].data, entries[i].len),
                         (la_ssize_t)entries[i].len);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

static void a_case_archive_signs_by_the_catalogs_it_carries(void **state)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", test_join(pt_platform_temp_root(), "pt-catarch-XXXXXX"));
    assert_non_null(pt_platform_make_temp_dir(dir));
    char tar[4096];
    snprintf(tar, sizeof tar, "%s", test_join(dir, "case.tar"));
    write_case_tar(state, tar);
    pt_catalog_index *idx = NULL;
    pt_error err = {0};
    assert_int_equal(pt_catalog_open_archive(tar, &idx, &err), PT_OK);
    assert_int_equal(pt_catalog_file_count(idx), 1);     /* elsewhere/test.cat left alone */
    assert_int_equal(pt_catalog_skipped_count(idx), 1);  /* broken.cat */
    assert_int_equal(pt_catalog_member_count(idx), 4);
    test_signed l;
    test_load_signed(*state, DRIVERS "ctsvid.sys", &l);
    assert_int_equal(pt_catalog_resolve(*state, idx, l.data, l.len, &l.pe, &l.sig), PT_OK);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    char shown[4200];
    snprintf(shown, sizeof shown, "%s:host42/Windows/System32/catroot/{F750E6C3}/test.cat", tar);
    assert_string_equal(l.sig.catalog, shown);
    /* the catalog's signer comes from the bytes kept, not from a file */
    assert_string_equal(l.sig.subject, "Contoso Test Code Signing (TEST ONLY)");
    assert_true(l.sig.signatures[0].signature_ok);
    pt_catalog_close(idx);
    /* not an archive: the reader's own error */
    assert_int_equal(pt_catalog_open_archive(fixture(DRIVERS "ctsvid.sys"), &idx, &err),
                     PT_EFORMAT);
    assert_null(idx);
    test_remove_tree(dir);
}

static void null_handles_and_odd_hash_lengths_are_harmless(void **state)
{
    pt_catalog_close(NULL);
    uint8_t h[32] = {0};
    assert_null(pt_catalog_lookup(NULL, h, 32));
    assert_int_equal(pt_catalog_file_count(NULL), 0);
    pt_catalog_index *idx = open_root(fixture(ROOT));
    assert_null(pt_catalog_lookup(idx, h, 16));
    assert_null(pt_catalog_lookup(idx, NULL, 32));
    pt_catalog_close(idx);
    test_signed l;
    test_load_signed(*state, DRIVERS "ctsvid.sys", &l);
    assert_int_equal(pt_catalog_resolve(*state, NULL, l.data, l.len, &l.pe, &l.sig), PT_OK);
    assert_string_equal(pt_sig_status_name(l.sig.status), "unsigned");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)
        T(the_test_tree_indexes_one_catalog_and_skips_the_broken_one),
        T(a_member_is_found_by_its_sha1_tag_and_its_sha256_attribute),
        T(a_sha256_tag_written_as_hex_text_is_found),
        T(a_covered_unsigned_driver_becomes_catalog_signed),
        T(an_uncovered_driver_stays_unsigned),
        T(an_embedded_signature_is_left_alone),
        T(a_root_without_catroot_gives_an_empty_index),
        T(a_root_that_is_not_a_folder_is_an_io_error),
        T(catroot_names_are_matched_case_insensitively),
        T(a_catalog_past_the_walk_depth_limit_is_said_not_dropped),
        T(a_case_archive_signs_by_the_catalogs_it_carries),
        T(null_handles_and_odd_hash_lengths_are_harmless),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
