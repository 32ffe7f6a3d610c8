/*
 * cmd_update.c - `pooltriage update`: fetch a signed KB and rules bundle
 * from the feed, show what is installed (--status) or go back to the
 * previous KB (--rollback).  The work is in fetch/ (update.c, apply.c).
 */
#include "cli.h"
#include "pooltriage/platform.h"
#include "pt_fetch.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    printf("usage: pooltriage update [--feed URL] [--config FILE] [--status] [--rollback] [--json]\n"
           "\n"
           "Downloads the KB bundle at the feed URL and URL.minisig, checks the\n"
           "signature against the pinned keys before reading anything else, refuses\n"
           "expired feeds and versions older than the installed one, validates the\n"
           "new KB and swaps it in atomically; the previous KB is kept for --rollback.\n"
           "\n"
           "  --feed URL      the bundle (https://, file://, or http:// to loopback);\n"
           "                  default: 'feed' in the config\n"
           "  --config FILE   default: $XDG_CONFIG_HOME/pooltriage/config\n"
           "  --status        show the installed feed, version, dates, key id and counts\n"
           "  --rollback      go back to the previous KB, or after the first update to\n"
           "                  the built-in one (run again to undo)\n"
           "  --json          one line of JSON\n"
           "\n"
           "The KB goes to $XDG_DATA_HOME/pooltriage/kb.sqlite; see docs/update.md.\n"
           "Exit: 0 done or up to date, 2 usage, 5 network or update error.\n");
}

typedef struct opts {
    const char *feed, *config;
    bool status, rollback, json;
} opts;

static int parse(int argc, char **argv, opts *o)
{
    static const struct option longs[] = {
        {"feed", required_argument, NULL, 'f'}, {"config", required_argument, NULL, 'c'},
        {"status", no_argument, NULL, 's'},     {"rollback", no_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case 'f': o->feed = optarg; break;
        case 'c': o->config = optarg; break;
        case 's': o->status = true; break;
        case 'r': o->rollback = true; break;
        case 'j': o->json = true; break;
        case 'h': help(); return -1;
        case ':': return pt_cli_usage("update", "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage("update", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return pt_cli_usage("update", "unexpected argument '%s'", argv[optind]);
    if (o->status && o->rollback)
        return pt_cli_usage("update", "--status and --rollback do not go together");
    if (o->feed && (o->status || o->rollback))
        return pt_cli_usage("update", "--feed goes with an update, not --status or --rollback");
    return PT_EXIT_OK;
}

static void iso(int64_t t, char *buf, size_t len)
{
    if (t > 0)
        pt_feed_time_format(t, buf, len);
    else
        snprintf(buf, len, "unknown");
}

/* Prints one line of JSON and checks the write. */
static int print_json(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (s == NULL) {
        fprintf(stderr, "pooltriage: out of memory\n");
        return PT_EXIT_INPUT;
    }
    pt_buf b = {s, strlen(s), strlen(s), false};
    pt_buf_append(&b, "\n", 1);
    int rc = pt_cli_write(&b);
    pt_buf_free(&b);
    return rc;
}

static int status(const char *dir, bool json)
{
    char kb[PATH_MAX], prev[PATH_MAX + 8], when[32];
    snprintf(kb, sizeof kb, "%.4000s/kb.sqlite", dir);
    snprintf(prev, sizeof prev, "%s.prev", kb);
    bool updated = pt_platform_can_read(kb);
    const char *path = updated ? kb : pt_cli_default_kb();
    pt_update_state st;
    pt_kb_counts n = {0}, p = {0};
    pt_error err = {0};
    pt_update_state_read(kb, &st, NULL);
    if (pt_kb_counts_read(path, &n, &err) != PT_OK)
        return pt_cli_fail(&err);
    bool has_prev = pt_platform_can_read(prev) && pt_kb_counts_read(prev, &p, NULL) == PT_OK;
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "schema", "pooltriage.update-status/1");
        cJSON_AddStringToObject(o, "kb", path);
        cJSON_AddBoolToObject(o, "updated", updated);
        cJSON_AddItemToObject(o, "feed", st.feed[0] ? cJSON_CreateString(st.feed) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "version", n.feed_version ? cJSON_CreateNumber((double)n.feed_version) : cJSON_CreateNull());
        iso(st.expires, when, sizeof when);
        cJSON_AddItemToObject(o, "expires", st.expires ? cJSON_CreateString(when) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "updated_at", st.updated[0] ? cJSON_CreateString(st.updated) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "key_id", st.key_id[0] ? cJSON_CreateString(st.key_id) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "kb_version", n.kb_version);
        cJSON_AddNumberToObject(o, "issues", (double)n.issues);
        cJSON_AddNumberToObject(o, "rules", (double)n.rules);
        cJSON_AddItemToObject(o, "previous_version", has_prev ? cJSON_CreateNumber((double)p.feed_version) : cJSON_CreateNull());
        return print_json(o);
    }
    pt_buf b = {0};
    pt_term_printf(&b, "KB:       %s%s\n", path, updated ? "" : " (no update installed)");
    pt_term_printf(&b, "feed:     %s\n", st.feed[0] ? st.feed : "none");
    iso(st.expires, when, sizeof when);
    if (n.feed_version)
        pt_term_printf(&b, "version:  %lld (expires %s)\n", (long long)n.feed_version, when);
    else
        pt_term_printf(&b, "version:  none (built locally, KB %s)\n", n.kb_version);
    pt_term_printf(&b, "updated:  %s\n", st.updated[0] ? st.updated : "never");
    pt_term_printf(&b, "key id:   %s\n", st.key_id[0] ? st.key_id : "none");
    pt_term_printf(&b, "entries:  %lld issues, %lld rules\n", (long long)n.issues, (long long)n.rules);
    if (has_prev)
        pt_buf_printf(&b, "previous: version %lld, %lld issues, %lld rules (--rollback)\n",
                      (long long)p.feed_version, (long long)p.issues, (long long)p.rules);
    int rc = pt_cli_write(&b);
    pt_buf_free(&b);
    return rc;
}

/* After the first update there is no earlier update to go back to, but
 * there is the KB that came with pooltriage: set the update aside as
 * kb.sqlite.prev, so the built-in KB is used again and a second --rollback
 * brings the update back. */
static int to_builtin(const char *kb, const char *prev, bool json)
{
    char state[PATH_MAX + 16], prev_state[PATH_MAX + 24];
    snprintf(state, sizeof state, "%s.state", kb);
    snprintf(prev_state, sizeof prev_state, "%s.state", prev);
    if (pt_platform_rename(kb, prev) != 0) {
        pt_cli_error("%s: cannot set the update aside: %s", kb, strerror(errno));
        return PT_EXIT_NET;
    }
    if (pt_platform_exists(state))
        pt_platform_rename(state, prev_state);
    const char *builtin = pt_cli_default_kb();
    pt_kb_counts n = {0};
    pt_error err = {0};
    bool readable = pt_kb_counts_read(builtin, &n, &err) == PT_OK;
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "schema", "pooltriage.update/1");
        cJSON_AddStringToObject(o, "action", "rollback");
        cJSON_AddStringToObject(o, "to", "built-in");
        cJSON_AddStringToObject(o, "kb", builtin);
        cJSON_AddNumberToObject(o, "issues", (double)n.issues);
        cJSON_AddNumberToObject(o, "rules", (double)n.rules);
        return print_json(o);
    }
    if (readable)
        printf("rolled back to the built-in KB %s: %lld issues, %lld rules (run again to "
               "undo)\n", builtin, (long long)n.issues, (long long)n.rules);
    else
        printf("rolled back to the built-in KB %s, which cannot be read (%s); run again to "
               "undo\n", builtin, err.message);
    return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
}

static int rollback(const char *dir, bool json)
{
    char kb[PATH_MAX], prev[PATH_MAX + 8];
    snprintf(kb, sizeof kb, "%.4000s/kb.sqlite", dir);
    snprintf(prev, sizeof prev, "%s.prev", kb);
    pt_error err = {0};
    int lock = -1;
    pt_update_state cur, old;
    pt_kb_counts n = {0};
    if (pt_update_lock(dir, &lock, &err) != PT_OK)
        return pt_cli_fail(&err);
    pt_update_state_read(kb, &cur, NULL);
    pt_update_state_read(prev, &old, NULL);
    if (!pt_platform_is_file(prev) && pt_platform_is_file(kb)) {
        int status = to_builtin(kb, prev, json);
        pt_platform_close(lock);
        return status;
    }
    pt_code rc = pt_update_rollback(kb, &err);
    if (rc == PT_OK) {
        /* swap the states too, forgetting the ETags so the next update
         * downloads the feed again */
        cur.etag[0] = old.etag[0] = cur.last_modified[0] = old.last_modified[0] = '\0';
        pt_update_state_write(kb, &old, NULL);
        pt_update_state_write(prev, &cur, NULL);
        rc = pt_kb_counts_read(kb, &n, &err);
    }
    pt_platform_close(lock);
    if (rc != PT_OK)
        return pt_cli_fail(&err);
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "schema", "pooltriage.update/1");
        cJSON_AddStringToObject(o, "action", "rollback");
        cJSON_AddNumberToObject(o, "version", (double)n.feed_version);
        cJSON_AddNumberToObject(o, "issues", (double)n.issues);
        cJSON_AddNumberToObject(o, "rules", (double)n.rules);
        return print_json(o);
    }
    printf("rolled back to feed version %lld: %lld issues, %lld rules (run again to undo)\n",
           (long long)n.feed_version, (long long)n.issues, (long long)n.rules);
    return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
}

static int report(const pt_update_report *r, const char *feed, bool json)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "schema", "pooltriage.update/1");
        cJSON_AddStringToObject(o, "action", r->changed ? "updated" : "up-to-date");
        cJSON_AddStringToObject(o, "feed", feed);
        cJSON_AddNumberToObject(o, "version", (double)r->meta.version);
        cJSON_AddNumberToObject(o, "previous_version", (double)r->previous_version);
        cJSON_AddStringToObject(o, "key_id", r->key_id);
        cJSON_AddNumberToObject(o, "issues", (double)r->counts.issues);
        cJSON_AddNumberToObject(o, "rules", (double)r->counts.rules);
        cJSON_AddStringToObject(o, "kb", r->kb_path);
        return print_json(o);
    }
    if (r->changed && r->had_previous)
        pt_cli_printf("updated %s to feed version %lld (key ID %s): %lld issues, %lld rules; "
               "previous version %lld kept for --rollback\n",
               r->kb_path, (long long)r->meta.version, r->key_id, (long long)r->counts.issues,
               (long long)r->counts.rules, (long long)r->previous_version);
    else if (r->changed)
        pt_cli_printf("installed %s at feed version %lld (key ID %s): %lld issues, %lld rules\n",
               r->kb_path, (long long)r->meta.version, r->key_id, (long long)r->counts.issues,
               (long long)r->counts.rules);
    else
        pt_cli_printf("already up to date: feed version %lld%s\n", (long long)r->meta.version,
               r->not_modified ? " (the server says not modified)" : "");
    return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
}

int cmd_update(int argc, char **argv)
{
    opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc != PT_EXIT_OK)
        return rc < 0 ? PT_EXIT_OK : rc;
    char dir[PATH_MAX], cfg_path[PATH_MAX];
    pt_fetch_data_dir(dir, sizeof dir);
    if (o.status)
        return status(dir, o.json);
    /* a full disk or a file size limit must fail a write, not kill us */
    pt_platform_soft_write_limits();
    if (o.rollback)
        return rollback(dir, o.json);
    pt_fetch_config cfg;
    pt_error err = {0};
    pt_fetch_config_init(&cfg);
    if (o.config == NULL)
        pt_fetch_config_path(cfg_path, sizeof cfg_path);
    if (pt_fetch_config_read(o.config ? o.config : cfg_path, &cfg, &err) != PT_OK)
        return pt_cli_fail(&err);
    const char *feed = o.feed ? o.feed : cfg.feed;
    pt_update_report r;
    if (pt_update_run(&cfg, feed, dir, &r, &err) != PT_OK)
        return pt_cli_fail(&err) == PT_EXIT_USAGE ? PT_EXIT_USAGE : PT_EXIT_NET;
    return report(&r, feed, o.json);
}
