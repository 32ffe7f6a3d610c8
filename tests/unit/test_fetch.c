/* test_fetch.c - the update stage without the network: minisign parsing,
 * verification and signing (vectors made by Debian's minisign 0.11), the
 * trusted comment and the rollback/expiry policy, the config, KB
 * validation, the atomic swap with injected failures, and the archived
 * link source edit.
 *
 * tests/CMakeLists.txt links unit tests with the engine only, so the
 * fetch sources that do not use libcurl are compiled in here. */
#include "test_support.h"
#include "pooltriage/platform.h"
#include "pt_fetch.h"


#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[64];
static pt_arena *arena;

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pt_fetch_XXXXXX");
    arena = pt_arena_new();
    return pt_platform_make_temp_dir(tmpdir) && arena ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pt_arena_free(arena);
    pt_update_fault_hook = NULL;
    return test_remove_tree(tmpdir);
}

static const char *tmp_path(const char *name)
{
    static char path[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(path[i], sizeof path[i], "%s/%s", tmpdir, name);
    return path[i];
}

static char *text_of(const char *rel, size_t *len)
{
    size_t n;
    char *t = fixture_text(arena, rel, &n);
    if (len)
        *len = n;
    return t;
}

static void load_key(pt_minisign_key *k)
{
    pt_error err = {0};
    assert_int_equal(pt_minisign_key_parse(text_of("fetch/test.pub", NULL), "test.pub", k, &err),
                     PT_OK);
}

static void load_sig(const char *rel, pt_minisign_sig *sig)
{
    size_t len;
    char *t = text_of(rel, &len);
    pt_error err = {0};
    assert_int_equal(pt_minisign_sig_parse(t, len, rel, sig, &err), PT_OK);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static bool same_bytes(const char *a, const char *b)
{
    char ha[65], hb[65];
    return pt_sha256_file(a, ha, NULL) == PT_OK && pt_sha256_file(b, hb, NULL) == PT_OK &&
           strcmp(ha, hb) == 0;
}

/* ---- minisign ---- */

static void a_minisign_public_key_gives_its_id(void **state)
{
    (void)state;
    pt_minisign_key k;
    char hex[17];
    load_key(&k);
    pt_minisign_key_id_hex(k.id, hex);
    assert_string_equal(hex, "1644F8B7B1EC5CCB"); /* what minisign printed */
}

static void a_prehashed_minisign_signature_verifies(void **state)
{
    (void)state;
    pt_minisign_key k;
    pt_minisign_sig sig;
    load_key(&k);
    load_sig("fetch/message.txt.minisig", &sig);
    assert_true(sig.prehashed);
    assert_string_equal(sig.trusted_comment,
                        "pooltriage-feed version=7 expires=2099-01-01T00:00:00Z");
    pt_error err = {0};
    const pt_minisign_key *used = NULL;
    assert_int_equal(pt_minisign_verify_file(&sig, &k, 1, fixture("fetch/message.txt"), 1 << 20,
                                             &used, &err), PT_OK);
    assert_ptr_equal(used, &k);
}

static void a_legacy_minisign_signature_verifies(void **state)
{
    (void)state;
    pt_minisign_key k;
    pt_minisign_sig sig;
    load_key(&k);
    load_sig("fetch/message.txt.legacy.minisig", &sig);
    assert_false(sig.prehashed);
    pt_error err = {0};
    assert_int_equal(pt_minisign_verify_file(&sig, &k, 1, fixture("fetch/message.txt"), 1 << 20,
                                             NULL, &err), PT_OK);
}

static void a_changed_byte_fails_verification(void **state)
{
    (void)state;
    pt_minisign_key k;
    pt_minisign_sig sig;
    load_key(&k);
    size_t len;
    char *msg = text_of("fetch/message.txt", &len);
    msg[3] ^= 1;
    for (int legacy = 0; legacy < 2; legacy++) {
        load_sig(legacy ? "fetch/message.txt.legacy.minisig" : "fetch/message.txt.minisig", &sig);
        pt_error err = {0};
        assert_int_equal(pt_minisign_verify_buf(&sig, &k, 1, msg, len, NULL, &err), PT_ENET);
        assert_string_equal(err.message, "signature does not match the bundle (key ID "
                            "1644F8B7B1EC5CCB); the KB was not changed: check the feed's origin");
    }
}

static void an_edited_trusted_comment_fails_the_global_signature(void **state)
{
    (void)state;
    pt_minisign_key k;
    pt_minisign_sig sig;
    load_key(&k);
    load_sig("fetch/message.txt.minisig", &sig);
    sig.trusted_comment[24] = '9'; /* version=7 -> version=9 */
    size_t len;
    char *msg = text_of("fetch/message.txt", &len);
    pt_error err = {0};
    assert_int_equal(pt_minisign_verify_buf(&sig, &k, 1, msg, len, NULL, &err), PT_ENET);
    assert_non_null(strstr(err.message, "signature of the trusted comment does not match"));
}

static void a_key_that_is_not_pinned_is_named(void **state)
{
    (void)state;
    pt_minisign_key keys[2];
    pt_minisign_sig sig;
    load_key(&keys[0]);
    load_key(&keys[1]);
    keys[0].id[0] ^= 1;
    keys[1].id[0] ^= 2;
    load_sig("fetch/message.txt.minisig", &sig);
    pt_error err = {0};
    assert_int_equal(pt_minisign_verify_file(&sig, keys, 2, fixture("fetch/message.txt"), 1 << 20,
                                             NULL, &err), PT_ENET);
    assert_string_equal(err.message, "signed with key ID 1644F8B7B1EC5CCB, which is not pinned; "
                        "add its public key to the config only if you trust it");
    keys[1].id[0] ^= 2; /* the second pinned key (rotation) matches */
    assert_int_equal(pt_minisign_verify_file(&sig, keys, 2, fixture("fetch/message.txt"), 1 << 20,
                                             NULL, &err), PT_OK);
}

static void garbage_is_not_a_signature_or_a_key(void **state)
{
    (void)state;
    pt_minisign_sig sig;
    pt_minisign_key k;
    pt_error err = {0};
    static const char *bad[] = {
        "", "untrusted comment: x\n",
        "untrusted comment: x\nRWQ=\ntrusted comment: y\nAAAA\n",
        "untrusted comment: x\nRUTLXOyxt/hEFm9+2HbCkBHR0bqPAbQ4KaVpcZl8WB55ghBI/qxPqSKBKjqLOfX/CU/"
        "pjKlvuIMFiuhtmYbWqRrjKaxyEwDH1QQ=\nno comment\nAAAA\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(pt_minisign_sig_parse(bad[i], strlen(bad[i]), "x", &sig, &err), PT_ENET);
    assert_int_equal(pt_minisign_key_parse("RWQ not base64", "k", &k, &err), PT_EFORMAT);
    /* a signature line is not a public key */
    assert_int_equal(pt_minisign_key_parse("RUTLXOyxt/hEFm9+2HbCkBHR0bqPAbQ4KaVpcZl8WB55ghBI/"
                     "qxPqSKBKjqLOfX/CU/pjKlvuIMFiuhtmYbWqRrjKaxyEwDH1QQ=", "k", &k, &err),
                     PT_EFORMAT);
}

static void kb_sign_output_verifies_with_the_public_key(void **state)
{
    (void)state;
    pt_minisign_secret sk;
    pt_minisign_key k;
    pt_minisign_sig sig;
    pt_error err = {0};
    pt_buf out = {0};
    load_key(&k);
    assert_int_equal(pt_minisign_secret_parse(text_of("fetch/test.key", NULL), "test.key", &sk,
                                              &err), PT_OK);
    assert_memory_equal(sk.id, k.id, 8);
    assert_memory_equal(sk.pk, k.pk, 32);
    assert_int_equal(pt_minisign_sign_file(&sk, fixture("fetch/message.txt"),
                                           "pooltriage-feed version=3 expires=2099-01-01T00:00:00Z",
                                           "test", &out, &err), PT_OK);
    assert_int_equal(pt_minisign_sig_parse(out.data, out.len, "out", &sig, &err), PT_OK);
    assert_true(sig.prehashed);
    assert_int_equal(pt_minisign_verify_file(&sig, &k, 1, fixture("fetch/message.txt"), 1 << 20,
                                             NULL, &err), PT_OK);
    pt_buf_free(&out);
}

static void an_encrypted_or_damaged_secret_key_is_refused(void **state)
{
    (void)state;
    char *t = text_of("fetch/test.key", NULL);
    char *line = strchr(t, '\n') + 1;
    pt_minisign_secret sk;
    pt_error err = {0};
    char saved = line[140];
    line[140] = line[140] == 'A' ? 'B' : 'A'; /* inside the public half */
    assert_int_equal(pt_minisign_secret_parse(t, "k", &sk, &err), PT_EUSAGE);
    assert_non_null(strstr(err.message, "damaged"));
    line[140] = saved;
    line[3] = 'T'; /* "RWQAAE..." -> kdf_alg != 0: an encrypted key */
    assert_int_equal(pt_minisign_secret_parse(t, "k", &sk, &err), PT_EUSAGE);
    assert_non_null(strstr(err.message, "encrypted"));
}

/* ---- trusted comment and policy ---- */

static void the_trusted_comment_gives_version_and_expiry(void **state)
{
    (void)state;
    pt_feed_meta m;
    pt_error err = {0};
    assert_int_equal(pt_feed_comment_parse("pooltriage-feed version=42 expires=2026-12-31T00:00:00Z",
                                           &m, &err), PT_OK);
    assert_int_equal(m.version, 42);
    assert_int_equal(m.expires, 1798675200);
    char buf[128];
    pt_feed_comment_format(&m, buf, sizeof buf);
    assert_string_equal(buf, "pooltriage-feed version=42 expires=2026-12-31T00:00:00Z");
    static const char *bad[] = {
        "timestamp:1700000000\tfile:kb.sqlite\thashed",
        "pooltriage-feed version=0 expires=2026-12-31T00:00:00Z",
        "pooltriage-feed version=-1 expires=2026-12-31T00:00:00Z",
        "pooltriage-feed version=4x expires=2026-12-31T00:00:00Z",
        "pooltriage-feed version=4 expires=2026-12-31",
        "pooltriage-feed version=4 expires=2026-12-31T00:00:00Z junk",
        "pooltriage-feed expires=2026-12-31T00:00:00Z version=4",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(pt_feed_comment_parse(bad[i], &m, &err), PT_ENET);
}

static void expired_and_older_feeds_are_refused(void **state)
{
    (void)state;
    pt_feed_meta m = {5, 1000};
    pt_error err = {0};
    assert_int_equal(pt_feed_check(&m, 4, 999, "f", &err), PT_OK);
    assert_int_equal(pt_feed_check(&m, 5, 999, "f", &err), PT_OK); /* re-signed */
    assert_int_equal(pt_feed_check(&m, 0, 999, "f", &err), PT_OK); /* first install */
    assert_int_equal(pt_feed_check(&m, 4, 1000, "f", &err), PT_ENET);
    assert_string_equal(err.message, "feed version 5 expired on 1970-01-01T00:16:40Z; refusing a "
                        "stale feed: ask its maintainer to publish a fresh signature");
    assert_int_equal(pt_feed_check(&m, 6, 999, "f", &err), PT_ENET);
    assert_string_equal(err.message, "feed version 5 is older than the installed version 6; "
                        "refusing a rollback (use 'pooltriage update --rollback' to go back on "
                        "purpose)");
}

static void the_config_pins_several_keys(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof text,
             "# comment\n\nfeed = https://feed.example/kb.sqlite\n"
             "key = RWTLXOyxt/hEFmWHLHJph1Eg6Qcu3jG2fd2X1IfWgNgNXq2fsm8ziALZ\n"
             "  key=RWTLXOyxt/hEFmWHLHJph1Eg6Qcu3jG2fd2X1IfWgNgNXq2fsm8ziALZ  \n"
             "timeout = 7\nretries = 0\nmax_size = 2048\n");
    write_text(tmp_path("config"), text);
    pt_fetch_config c;
    pt_error err = {0};
    pt_fetch_config_init(&c);
    assert_int_equal(pt_fetch_config_read(tmp_path("config"), &c, &err), PT_OK);
    assert_string_equal(c.feed, "https://feed.example/kb.sqlite");
    assert_int_equal(c.key_count, 2);
    assert_int_equal(c.timeout, 7);
    assert_int_equal(c.retries, 0);
    assert_int_equal(c.max_size, 2048);
    assert_int_equal(c.connect_timeout, PT_FETCH_DEFAULT_CONNECT_TIMEOUT);
    write_text(tmp_path("config"), "feed = x\ntimeout = forever\n");
    assert_int_equal(pt_fetch_config_read(tmp_path("config"), &c, &err), PT_EUSAGE);
    assert_non_null(strstr(err.where, "config:2"));
    pt_fetch_config_init(&c);
    assert_int_equal(pt_fetch_config_read(tmp_path("absent"), &c, &err), PT_OK);
}

/* ---- validation and the atomic swap ---- */

static void build_bundle(const char *name, int64_t version)
{
    pt_feed_meta m = {version, 4102444800};
    pt_error err = {0};
    if (pt_bundle_build(PT_SOURCE_DIR "/kb/issues", PT_SOURCE_DIR "/rules", tmp_path(name), &m,
                        &err) != PT_OK)
        fail_msg("%s: %s", err.where, err.message);
}

static void a_bundle_validates_with_its_counts(void **state)
{
    (void)state;
    build_bundle("b.sqlite", 12);
    pt_kb_counts n;
    pt_error err = {0};
    assert_int_equal(pt_kb_verify_file(tmp_path("b.sqlite"), &n, &err), PT_OK);
    assert_int_equal(n.feed_version, 12);
    assert_int_equal(n.feed_expires, 4102444800);
    assert_true(n.issues >= 1);
    assert_true(n.rules >= 1);
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void a_kb_with_extra_schema_or_bad_rules_is_refused(void **state)
{
    (void)state;
    pt_error err = {0};
    build_bundle("t.sqlite", 1);
    sql_exec(tmp_path("t.sqlite"), "CREATE VIEW v AS SELECT 1");
    assert_int_equal(pt_kb_verify_file(tmp_path("t.sqlite"), NULL, &err), PT_EKB);
    assert_non_null(strstr(err.message, "schema differs"));
    build_bundle("r.sqlite", 1);
    sql_exec(tmp_path("r.sqlite"), "UPDATE rules SET source = 'return 1' WHERE rowid = 1");
    assert_int_equal(pt_kb_verify_file(tmp_path("r.sqlite"), NULL, &err), PT_EKB);
    assert_non_null(strstr(err.message, "the KB was not changed"));
    build_bundle("m.sqlite", 1);
    sql_exec(tmp_path("m.sqlite"), "UPDATE meta SET value = '0' WHERE key = 'schema_version'");
    assert_int_equal(pt_kb_verify_file(tmp_path("m.sqlite"), NULL, &err), PT_EKB);
    write_text(tmp_path("junk.sqlite"), "not a database at all, just text\n");
    assert_int_equal(pt_kb_verify_file(tmp_path("junk.sqlite"), NULL, &err), PT_EKB);
}

static const char *fail_step;
static int fail_at(const char *step) { return fail_step && strcmp(step, fail_step) == 0; }

static void a_failure_at_any_install_step_leaves_the_kb_unchanged(void **state)
{
    (void)state;
    static const char *steps[] = {"fsync", "link-prev", "rename", "fsync-dir"};
    build_bundle("kb.sqlite", 1);
    build_bundle("kb.sqlite.orig", 1);
    pt_update_fault_hook = fail_at;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        build_bundle("new.sqlite", 2);
        fail_step = steps[i];
        pt_error err = {0};
        assert_int_equal(pt_update_install(tmp_path("new.sqlite"), tmp_path("kb.sqlite"), &err),
                         PT_ENET);
        assert_non_null(strstr(err.message, "the KB was not changed"));
        assert_true(same_bytes(tmp_path("kb.sqlite"), tmp_path("kb.sqlite.orig")));
        pt_kb_counts n;
        assert_int_equal(pt_kb_counts_read(tmp_path("kb.sqlite"), &n, &err), PT_OK);
        assert_int_equal(n.feed_version, 1);
    }
    fail_step = NULL;
    pt_update_fault_hook = NULL;
}

static void an_install_keeps_the_previous_kb_for_rollback(void **state)
{
    (void)state;
    pt_error err = {0};
    pt_kb_counts n;
    build_bundle("kb.sqlite", 1);
    build_bundle("new.sqlite", 2);
    build_bundle("v2.sqlite", 2);
    assert_int_equal(pt_update_install(tmp_path("new.sqlite"), tmp_path("kb.sqlite"), &err), PT_OK);
    assert_false(pt_platform_is_file(tmp_path("new.sqlite")));
    assert_true(same_bytes(tmp_path("kb.sqlite"), tmp_path("v2.sqlite")));
    assert_int_equal(pt_kb_counts_read(tmp_path("kb.sqlite.prev"), &n, &err), PT_OK);
    assert_int_equal(n.feed_version, 1);
    assert_int_equal(pt_update_rollback(tmp_path("kb.sqlite"), &err), PT_OK);
    assert_int_equal(pt_kb_counts_read(tmp_path("kb.sqlite"), &n, &err), PT_OK);
    assert_int_equal(n.feed_version, 1);
    assert_int_equal(pt_kb_counts_read(tmp_path("kb.sqlite.prev"), &n, &err), PT_OK);
    assert_int_equal(n.feed_version, 2);
    /* a failed rollback changes nothing */
    pt_update_fault_hook = fail_at;
    fail_step = "rename";
    assert_int_equal(pt_update_rollback(tmp_path("kb.sqlite"), &err), PT_ENET);
    fail_step = NULL;
    pt_update_fault_hook = NULL;
    assert_int_equal(pt_kb_counts_read(tmp_path("kb.sqlite"), &n, &err), PT_OK);
    assert_int_equal(n.feed_version, 1);
    pt_platform_remove(tmp_path("kb.sqlite.prev"));
    assert_int_equal(pt_update_rollback(tmp_path("kb.sqlite"), &err), PT_ENET);
    assert_non_null(strstr(err.message, "no previous KB"));
}

static void the_state_round_trips_and_a_failed_write_keeps_the_old_one(void **state)
{
    (void)state;
    pt_update_state st = {0}, back;
    pt_error err = {0};
    snprintf(st.feed, sizeof st.feed, "https://f/kb.sqlite");
    snprintf(st.etag, sizeof st.etag, "\"abc\"");
    snprintf(st.key_id, sizeof st.key_id, "1644F8B7B1EC5CCB");
    st.version = 9;
    st.expires = 4102444800;
    assert_int_equal(pt_update_state_write(tmp_path("kb.sqlite"), &st, &err), PT_OK);
    assert_int_equal(pt_update_state_read(tmp_path("kb.sqlite"), &back, &err), PT_OK);
    assert_string_equal(back.feed, st.feed);
    assert_string_equal(back.etag, st.etag);
    assert_string_equal(back.key_id, st.key_id);
    assert_int_equal(back.version, 9);
    assert_int_equal(back.expires, 4102444800);
    pt_update_fault_hook = fail_at;
    fail_step = "state";
    st.version = 10;
    assert_int_equal(pt_update_state_write(tmp_path("kb.sqlite"), &st, &err), PT_ENET);
    fail_step = NULL;
    pt_update_fault_hook = NULL;
    assert_int_equal(pt_update_state_read(tmp_path("kb.sqlite"), &back, &err), PT_OK);
    assert_int_equal(back.version, 9);
}

/* ---- archived links in the sources ---- */

static char *edit(const char *text, const char *url, const char *arch)
{
    char *out = NULL;
    pt_error err = {0};
    if (pt_links_edit_source(arena, text, url, arch, &out, &err) != PT_OK)
        return NULL;
    return out;
}

static void archived_url_nil_is_replaced_in_place(void **state)
{
    (void)state;
    const char *src = "return { references = {\n"
                      "  { kind = \"forum\", url = \"https://a/x\", archived_url = nil },\n"
                      "  { kind = \"blog\", url = \"https://b/y\", archived_url = nil },\n} }\n";
    assert_string_equal(edit(src, "https://b/y", "https://web.archive.org/web/1/https://b/y"),
                        "return { references = {\n"
                        "  { kind = \"forum\", url = \"https://a/x\", archived_url = nil },\n"
                        "  { kind = \"blog\", url = \"https://b/y\", archived_url = "
                        "\"https://web.archive.org/web/1/https://b/y\" },\n} }\n");
}

static void a_missing_archived_url_is_inserted_before_comments(void **state)
{
    (void)state;
    const char *src = "return { references = {\n"
                      "  { kind = \"forum\", url = \"https://a/x\" -- a } here\n  },\n"
                      "  { archived_url = \"https://old\", url = \"https://b/y\", },\n} }\n";
    assert_string_equal(edit(src, "https://a/x", "https://w/1"),
                        "return { references = {\n"
                        "  { kind = \"forum\", url = \"https://a/x\", archived_url = \"https://w/1\""
                        " -- a } here\n  },\n"
                        "  { archived_url = \"https://old\", url = \"https://b/y\", },\n} }\n");
    /* an archived_url written before the url is the one replaced */
    assert_non_null(strstr(edit(src, "https://b/y", "https://w/2"),
                           "{ archived_url = \"https://w/2\", url = \"https://b/y\", }"));
}

static void a_url_that_is_not_written_literally_is_not_edited(void **state)
{
    (void)state;
    const char *src = "return { references = { { url = \"https://a/\" .. \"x\" } } }\n"
                      "-- url = \"https://a/x\"\n";
    char *out = NULL;
    pt_error err = {0};
    assert_int_equal(pt_links_edit_source(arena, src, "https://a/x", "https://w/1", &out, &err),
                     PT_EFORMAT);
    assert_int_equal(pt_links_edit_source(arena, "return {{ url = \"https://a/x\" }}",
                                          "https://a/x", "https://w/\"1", &out, &err), PT_EFORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_minisign_public_key_gives_its_id, setup, teardown),
        cmocka_unit_test_setup_teardown(a_prehashed_minisign_signature_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(a_legacy_minisign_signature_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(a_changed_byte_fails_verification, setup, teardown),
        cmocka_unit_test_setup_teardown(an_edited_trusted_comment_fails_the_global_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(a_key_that_is_not_pinned_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(garbage_is_not_a_signature_or_a_key, setup, teardown),
        cmocka_unit_test_setup_teardown(kb_sign_output_verifies_with_the_public_key, setup, teardown),
        cmocka_unit_test_setup_teardown(an_encrypted_or_damaged_secret_key_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(the_trusted_comment_gives_version_and_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(expired_and_older_feeds_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(the_config_pins_several_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(a_bundle_validates_with_its_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(a_kb_with_extra_schema_or_bad_rules_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_failure_at_any_install_step_leaves_the_kb_unchanged,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_install_keeps_the_previous_kb_for_rollback, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_state_round_trips_and_a_failed_write_keeps_the_old_one,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(archived_url_nil_is_replaced_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(a_missing_archived_url_is_inserted_before_comments, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_url_that_is_not_written_literally_is_not_edited, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
