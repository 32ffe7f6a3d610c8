/* fuzz_minisign.c - libFuzzer target for the update stage's parsers of
 * untrusted text (fetch/src/minisign.c, feed.c): the input is parsed as a
 * minisign public key, a .minisig file (verified against the fixture
 * message with the pinned test key and the input's own key; its trusted
 * comment parsed), a secret key, a trusted comment and a config file.  A
 * parsed trusted comment formats to one that parses the same.  Only
 * minisign.c and feed.c are linked (no libcurl).  Seeds: tests/fixtures/fetch. */
#include "pt_fetch.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char test_pub[] = "RWTLXOyxt/hEFmWHLHJph1Eg6Qcu3jG2fd2X1IfWgNgNXq2fsm8ziALZ";
static const char message[] = "pooltriage minisign test vector\n";
static char config[64];

static void cleanup(void) { pt_platform_remove(config); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(config, sizeof config, "%s/fuzz_minisign_XXXXXX",
             pt_platform_is_dir("/dev/shm") ? "/dev/shm" : "/tmp");
    int fd = pt_platform_temp_file(config);
    if (fd < 0)
        abort();
    pt_platform_close(fd);
    atexit(cleanup);
    return 0;
}

static void comment(const char *text)
{
    pt_feed_meta m;
    pt_error err = {0};
    if (pt_feed_comment_parse(text, &m, &err) != PT_OK)
        return;
    char back[128];
    pt_feed_meta again;
    pt_feed_comment_format(&m, back, sizeof back);
    if (m.version <= 0 || pt_feed_comment_parse(back, &again, &err) != PT_OK ||
        again.version != m.version || again.expires != m.expires)
        abort();
    (void)pt_feed_check(&m, 1, 0, "fuzz", &err);
}

static void signature(const uint8_t *data, size_t len, const pt_minisign_key *own)
{
    pt_minisign_key keys[2];
    pt_error err = {0};
    size_t count = 0;
    if (pt_minisign_key_parse(test_pub, "test.pub", &keys[count++], &err) != PT_OK)
        abort();
    if (own)
        keys[count++] = *own;
    pt_minisign_sig sig;
    if (pt_minisign_sig_parse((const char *)data, len, "fuzz.minisig", &sig, &err) != PT_OK)
        return;
    if (memchr(sig.trusted_comment, '\0', sizeof sig.trusted_comment) == NULL)
        abort();
    const pt_minisign_key *used = NULL;
    if (pt_minisign_verify_buf(&sig, keys, count, message, sizeof message - 1, &used, &err) ==
            PT_OK &&
        used == NULL)
        abort();
    comment(sig.trusted_comment);
}

static void config_file(const char *text, size_t len)
{
    FILE *f = fopen(config, "wb");
    if (f == NULL)
        abort();
    if (len && fwrite(text, 1, len, f) != len)
        abort();
    fclose(f);
    pt_fetch_config c;
    pt_error err = {0};
    pt_fetch_config_init(&c);
    if (pt_fetch_config_read(config, &c, &err) == PT_OK &&
        (c.key_count > PT_FETCH_MAX_KEYS || memchr(c.feed, '\0', sizeof c.feed) == NULL ||
         memchr(c.ca_file, '\0', sizeof c.ca_file) == NULL))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    char *text = malloc(len + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, len);
    text[len] = '\0';
    pt_minisign_key key;
    pt_minisign_secret secret;
    pt_error err = {0};
    bool own = pt_minisign_key_parse(text, "fuzz.pub", &key, &err) == PT_OK;
    if (own) {
        char hex[17];
        pt_minisign_key_id_hex(key.id, hex);
        if (strlen(hex) != 16)
            abort();
    }
    signature(data, len, own ? &key : NULL);
    (void)pt_minisign_secret_parse(text, "fuzz.key", &secret, &err);
    comment(text);
    int64_t t;
    if (pt_feed_time_parse(text, &t)) {
        char when[32];
        pt_feed_time_format(t, when, sizeof when);
    }
    config_file(text, len);
    free(text);
    return 0;
}
