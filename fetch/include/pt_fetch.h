/*
 * pt_fetch.h - the only code that touches the network (libcurl), linked by
 * the CLI alone: signed KB updates (`pooltriage update`, minisign
 * signatures, atomic apply) and the reference link checker (`kb links`).
 */
#ifndef PT_FETCH_H
#define PT_FETCH_H

#include "pooltriage/pooltriage.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The libcurl version this build runs with ("libcurl/7.88.1 ..."). */
const char *pt_fetch_backend(void);

/* ------------------------------------------------------------------ */
/* Limits and defaults (one comment each)                              */
/* ------------------------------------------------------------------ */

/* A bundle larger than this is refused unless the config raises it: the
 * seed KB is under 100 KiB, so 64 MiB is room for years of entries. */
#define PT_FETCH_DEFAULT_MAX_BYTES (64u * 1024u * 1024u)
/* A .minisig file is four short lines. */
#define PT_FETCH_MAX_SIG_BYTES 4096u
/* Pinned keys: one in use plus a few for rotation. */
#define PT_FETCH_MAX_KEYS 8u
/* Trusted comments longer than this are refused. */
#define PT_MINISIGN_COMMENT_MAX 1024u
/* Redirects followed per download; a loop stops here. */
#define PT_FETCH_MAX_REDIRECTS 5
/* Default timeouts (seconds) and retries (after the first try). */
#define PT_FETCH_DEFAULT_TIMEOUT 120L
#define PT_FETCH_DEFAULT_CONNECT_TIMEOUT 15L
#define PT_FETCH_DEFAULT_RETRIES 2
#define PT_FETCH_DEFAULT_RETRY_DELAY_MS 2000L

/* ------------------------------------------------------------------ */
/* minisign.c: Ed25519 signatures in the minisign format (OpenSSL EVP)  */
/* ------------------------------------------------------------------ */

typedef struct pt_minisign_key {
    uint8_t id[8];         /* key id, as stored (little-endian) */
    uint8_t pk[32];        /* Ed25519 public key */
} pt_minisign_key;

typedef struct pt_minisign_sig {
    bool prehashed;        /* "ED": the signed message is BLAKE2b-512(file) */
    uint8_t key_id[8];
    uint8_t sig[64];
    char trusted_comment[PT_MINISIGN_COMMENT_MAX];
    uint8_t global_sig[64]; /* over sig || trusted_comment */
} pt_minisign_sig;

typedef struct pt_minisign_secret {
    uint8_t id[8];
    uint8_t seed[32];
    uint8_t pk[32];
} pt_minisign_secret;

/* Parses a public key: the base64 line ("RWQ...") or a whole minisign.pub
 * file.  PT_EFORMAT with `where` in the message when it is not one. */
pt_code pt_minisign_key_parse(const char *text, const char *where,
                              pt_minisign_key *out, pt_error *err);
/* Parses a .minisig file (both "Ed" and prehashed "ED"). */
pt_code pt_minisign_sig_parse(const char *text, size_t len, const char *where,
                              pt_minisign_sig *out, pt_error *err);
/* Verifies `sig` over the file at `path` (at most max_len bytes) with the
 * pinned key whose id matches, and the global signature over the trusted
 * comment.  *used (may be NULL) gets that key.  PT_ENET on any mismatch:
 * the caller must not parse the file unless this returns PT_OK. */
pt_code pt_minisign_verify_file(const pt_minisign_sig *sig, const pt_minisign_key *keys,
                                size_t key_count, const char *path, uint64_t max_len,
                                const pt_minisign_key **used, pt_error *err);
/* The same over a buffer. */
pt_code pt_minisign_verify_buf(const pt_minisign_sig *sig, const pt_minisign_key *keys,
                               size_t key_count, const void *data, size_t len,
                               const pt_minisign_key **used, pt_error *err);
/* The key id as minisign prints it (16 upper-case hex digits). */
void pt_minisign_key_id_hex(const uint8_t id[8], char out[17]);
/* Parses an unencrypted minisign secret key file (minisign -G -W). */
pt_code pt_minisign_secret_parse(const char *text, const char *where,
                                 pt_minisign_secret *out, pt_error *err);
/* Signs the file at `path` (prehashed "ED", as minisign 0.10+ does) and
 * appends a whole .minisig text to *out. */
pt_code pt_minisign_sign_file(const pt_minisign_secret *sk, const char *path,
                              const char *trusted_comment, const char *untrusted_comment,
                              pt_buf *out, pt_error *err);

/* ------------------------------------------------------------------ */
/* feed.c: the trusted comment, the update policy and the config        */
/* ------------------------------------------------------------------ */

/* What the signed trusted comment says:
 *   pooltriage-feed version=42 expires=2026-12-31T00:00:00Z */
typedef struct pt_feed_meta {
    int64_t version;       /* > 0 */
    int64_t expires;       /* Unix seconds, UTC */
} pt_feed_meta;

/* Parses a trusted comment; PT_ENET when it is not a pooltriage feed's. */
pt_code pt_feed_comment_parse(const char *comment, pt_feed_meta *out, pt_error *err);
/* Writes the trusted comment of `m` into buf. */
void pt_feed_comment_format(const pt_feed_meta *m, char *buf, size_t len);
/* ISO-8601 UTC times ("2026-12-31T00:00:00Z"), for the CLI. */
bool pt_feed_time_parse(const char *text, int64_t *out);
void pt_feed_time_format(int64_t t, char *buf, size_t len);
/* Refuses an expired feed (expires <= now) and a rollback (version below
 * `installed`, 0 when none).  PT_ENET with the reason. */
pt_code pt_feed_check(const pt_feed_meta *m, int64_t installed, int64_t now,
                      const char *where, pt_error *err);

/* $XDG_CONFIG_HOME/pooltriage/config: `key = value` lines, `#` comments.
 *   feed = https://example.org/pooltriage/kb-bundle.sqlite
 *   key = RWQ...            (repeat to pin several keys)
 *   ca_file = /path/ca.pem  timeout = 120  connect_timeout = 15
 *   max_size = 67108864     retries = 2    retry_delay_ms = 2000 */
typedef struct pt_fetch_config {
    char feed[2048];
    pt_minisign_key keys[PT_FETCH_MAX_KEYS];
    size_t key_count;
    char ca_file[1024];
    long timeout, connect_timeout;   /* seconds */
    uint64_t max_size;               /* bytes */
    int retries;
    long retry_delay_ms;
    bool ticket_allow_http;          /* ticket_allow_http = true: plain-http webhooks */
} pt_fetch_config;

/* Sets the defaults (no feed, no key). */
void pt_fetch_config_init(pt_fetch_config *out);
/* Reads the config file over the defaults; a missing file is not an error.
 * PT_EUSAGE (with "path:line") for a bad line. */
pt_code pt_fetch_config_read(const char *path, pt_fetch_config *out, pt_error *err);
/* After fgets(line, cap, f): PT_OK when `line` is a whole line (or the
 * last one); PT_EUSAGE at `where` for a line longer than the buffer (its
 * tail must not be read as a line of its own) or one holding a NUL byte. */
pt_code pt_fetch_line_whole(const char *line, size_t cap, FILE *f, const char *where,
                            pt_error *err);
/* The config path: $XDG_CONFIG_HOME/pooltriage/config or ~/.config/...;
 * the update dir: $XDG_DATA_HOME/pooltriage or ~/.local/share/... */
void pt_fetch_config_path(char *buf, size_t len);
void pt_fetch_data_dir(char *buf, size_t len);

/* bundle.c: builds a bundle (pt_kb_build, then meta feed_version and
 * feed_expires from `meta`), written to a temp file and renamed. */
pt_code pt_bundle_build(const char *issues_dir, const char *rules_dir, const char *out_path,
                        const pt_feed_meta *meta, pt_error *err);

/* ------------------------------------------------------------------ */
/* apply.c: validate a downloaded KB, swap it in atomically             */
/* ------------------------------------------------------------------ */

/* Swaps `fresh` (a validated file in the same folder as kb_path) in:
 * fsync it, keep the current KB as kb_path.prev, rename, fsync the
 * folder.  On failure at any step kb_path is unchanged. */
pt_code pt_update_install(const char *fresh, const char *kb_path, pt_error *err);
/* Swaps kb_path.prev and kb_path (so a second rollback undoes the first).
 * PT_ENET when there is no previous KB. */
pt_code pt_update_rollback(const char *kb_path, pt_error *err);

/* Test hook: when set, called before each step of an install, rollback or
 * download write ("write", "fsync", "link-prev", "rename", "fsync-dir",
 * "state"); a non-zero return makes the step fail as an I/O error would. */
extern int (*pt_update_fault_hook)(const char *step);

/* The state kept beside the KB (kb.sqlite.state, `key = value`). */
typedef struct pt_update_state {
    char feed[2048];
    char etag[256];
    char last_modified[128];
    char key_id[17];
    char updated[32];       /* when it was applied, ISO-8601 UTC */
    int64_t version;
    int64_t expires;
} pt_update_state;

/* Reads the state; a missing file leaves *out zeroed and returns PT_OK. */
pt_code pt_update_state_read(const char *kb_path, pt_update_state *out, pt_error *err);
/* Writes it atomically (temp file, fsync, rename). */
pt_code pt_update_state_write(const char *kb_path, const pt_update_state *st, pt_error *err);

/* ------------------------------------------------------------------ */
/* http.c: one download with the transport policy                       */
/* ------------------------------------------------------------------ */

typedef struct pt_http_result {
    long status;              /* final HTTP status, 0 for file:// */
    bool not_modified;        /* 304: nothing written */
    char etag[256];
    char last_modified[128];
    uint64_t bytes;
    int tries;
} pt_http_result;

/* True when the URL may be fetched: https://, file://, or http:// to a
 * loopback address (127.0.0.0/8, ::1, localhost).  Else PT_ENET. */
pt_code pt_http_url_allowed(const char *url, pt_error *err);
/* Downloads url into the file `path` (created, truncated) or, when path
 * is NULL, into *mem, at most max bytes.  etag/last_modified (may be
 * NULL) make the request conditional.  Retries as the transport's policy
 * says (fetch/src/transport.h: connection failures, timeouts, 408, 429
 * and 5xx, with back-off or Retry-After); follows at most
 * PT_FETCH_MAX_REDIRECTS redirects, each checked against the policy.
 * PT_ENET with a message that says why. */
pt_code pt_http_get(const pt_fetch_config *cfg, const char *url, const char *path,
                    pt_buf *mem, uint64_t max, const char *etag,
                    const char *last_modified, pt_http_result *out, pt_error *err);

/* ------------------------------------------------------------------ */
/* update.c: `pooltriage update`                                       */
/* ------------------------------------------------------------------ */

typedef struct pt_update_report {
    bool changed;             /* a new KB was installed */
    bool not_modified;        /* the feed answered 304 */
    pt_feed_meta meta;        /* of the installed or offered feed */
    int64_t previous_version;
    bool had_previous;        /* a KB was installed in data_dir before */
    char key_id[17];
    pt_kb_counts counts;
    char kb_path[1024];
} pt_update_report;

/* Downloads feed (bundle) and feed.minisig, verifies the signature before
 * anything else, checks expiry and rollback, validates, installs into
 * data_dir/kb.sqlite and records the state.  PT_ENET on any failure;
 * the installed KB is then unchanged. */
pt_code pt_update_run(const pt_fetch_config *cfg, const char *feed, const char *data_dir,
                      pt_update_report *out, pt_error *err);
/* Creates data_dir, takes its update lock (flock on kb.sqlite.lock, so one
 * updater at a time) and removes what a killed update left behind; *fd is
 * the lock, released by close(). */
pt_code pt_update_lock(const char *data_dir, int *fd, pt_error *err);

/* ------------------------------------------------------------------ */
/* links.c and links_edit.c: `pooltriage kb links`                     */
/* ------------------------------------------------------------------ */

typedef enum pt_link_status { PT_LINK_ALIVE = 0, PT_LINK_DEAD = 1 } pt_link_status;
typedef enum pt_link_archive {
    PT_ARCHIVE_RECORDED = 0,  /* the source already has archived_url */
    PT_ARCHIVE_FOUND = 1,     /* the Wayback Machine has a snapshot */
    PT_ARCHIVE_NONE = 2,      /* no snapshot */
    PT_ARCHIVE_ERROR = 3      /* the availability API failed */
} pt_link_archive;

typedef struct pt_link {
    const char *file;         /* the issue source file (path) */
    const char *issue;        /* issue id */
    int seq;                  /* 1-based index in references */
    const char *url;          /* or NULL (a reference without URL) */
    const char *date;         /* the issue's date, for the snapshot timestamp */
    pt_link_status status;
    long http_status;         /* 0 when none */
    const char *error;        /* network error text, or NULL */
    const char *archived_url; /* recorded or found, or NULL */
    pt_link_archive archive;
    bool cached;              /* the status came from the cache */
} pt_link;

typedef struct pt_links_opts {
    const char *issues_dir;
    const char *wayback;      /* availability endpoint */
    const char *cache_path;   /* or NULL for no cache */
    long delay_ms;            /* per host, between requests */
    int concurrency;          /* transfers at once */
    long timeout;             /* per request, seconds */
    long max_age;             /* cache entries younger than this are reused (s) */
    const char *ca_file;      /* or NULL */
} pt_links_opts;

/* Reads every reference of the issue files, checks each URL (HEAD, then
 * GET), and asks the availability API for references without archived_url.
 * *out is arena memory.  PT_EKB when an issue file is invalid. */
pt_code pt_links_check(pt_arena *arena, const pt_links_opts *opts, pt_link **out,
                       size_t *out_count, pt_error *err);
/* Records archived_url = "..." for reference `seq` (whose url is `url`) of
 * the Lua source `text`, with a minimal edit: replaces the value of an
 * existing archived_url of that reference or inserts one.  *out is arena
 * memory.  PT_EFORMAT when the reference can't be found literally. */
pt_code pt_links_edit_source(pt_arena *arena, const char *text, const char *url,
                             const char *archived_url, char **out, pt_error *err);
/* Applies the found archived URLs to their files (temp file + rename),
 * re-checking each edited file against the KB schema; *written counts
 * the files changed. */
pt_code pt_links_write(pt_arena *arena, const pt_link *links, size_t count,
                       size_t *written, pt_error *err);

#endif
