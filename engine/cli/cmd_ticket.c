/*
 * cmd_ticket.c - `pooltriage ticket`: read verdicts as `fleet` does and
 * file one ticket per problem (webhook, Jira, ServiceNow, Slack, Teams), or with
 * --dry-run print the payloads as JSON Lines.  Credentials come only from
 * the environment (pt_ticket_creds_load), never from the command line.
 */
#include "cli.h"
#include "pt_fetch.h"
#include "pt_ticket.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void help(void)
{
    printf(
        "usage: pooltriage ticket --to webhook|jira|servicenow|slack|teams --url URL\n"
        "                         [--dry-run] [--map FILE] [--project KEY]\n"
        "                         [--issue-type NAME] [--jira-api 2|3]\n"
        "                         [--min-level LEVEL] [--timeout S] [--retries N]\n"
        "                         [--retry-delay MS] [--max-retry-after S]\n"
        "                         [--ca-file FILE] [--strict] [--json] [-o FILE]\n"
        "                         REPORT...\n"
        "\n"
        "Reads verdicts as 'pooltriage fleet' does and files one ticket per problem\n"
        "(finding fingerprint).  A local map remembers each ticket, so a re-run adds\n"
        "the new hosts to it (a Jira comment, a ServiceNow work note, a webhook\n"
        "'update' event, a new Slack or Teams message) or skips it, and never files\n"
        "a problem twice.\n"
        "\n"
        "  --to KIND           webhook (POST URL), jira (POST URL/rest/api/N/issue),\n"
        "                      servicenow (POST URL/api/now/table/incident), slack\n"
        "                      or teams (POST URL: an incoming webhook of the channel)\n"
        "  --url URL           https://..., or http:// to 127.0.0.1/localhost only;\n"
        "                      checked first, also with --dry-run (exit 2)\n"
        "  --allow-http        also allow plain http:// to other hosts (an internal\n"
        "                      webhook; or ticket_allow_http = true in the config):\n"
        "                      payloads and credentials then travel unencrypted\n"
        "  --dry-run           print the requests as JSON Lines; send and change nothing\n"
        "  --map FILE          the ticket map (default\n"
        "                      $XDG_STATE_HOME/pooltriage/tickets.sqlite)\n"
        "  --project KEY       Jira project key (default $POOLTRIAGE_JIRA_PROJECT)\n"
        "  --issue-type NAME   Jira issue type (default $POOLTRIAGE_JIRA_ISSUETYPE, Bug)\n"
        "  --jira-api N        Jira REST API: 3 (Cloud, Atlassian Document Format) or 2\n"
        "                      (Server and Data Center, wiki markup); default: asked\n"
        "                      from URL/rest/api/2/serverInfo (a dry run assumes 3)\n"
        "  --min-level LEVEL   file problems at this level or above: info, suspect,\n"
        "                      likely (default) or known\n"
        "  --timeout S         seconds per request (30); a POST or PATCH that timed\n"
        "                      out is not retried (the server may have acted on it)\n"
        "  --retries N         retries of 5xx, 408, 429, refused connections and\n"
        "                      timed-out reads (3)\n"
        "  --retry-delay MS    first back-off, doubled each retry (1000)\n"
        "  --max-retry-after S\n"
        "                      longest Retry-After honoured (60); longer fails\n"
        "  --ca-file FILE      CA bundle for https\n"
        "  --strict            exit 3, filing nothing, when a report is not a verdict\n"
        "  --json              one JSON line per problem instead of text\n"
        "  -o, --output FILE   write what stdout would show (the payloads of --dry-run,\n"
        "                      or one line per ticket) to FILE once the run ends: a\n"
        "                      temporary file, then a rename; also after a ticket\n"
        "                      failed (exit 5), so FILE says what was filed\n"
        "\n"
        "Credentials, from the environment only: POOLTRIAGE_TICKET_USER with\n"
        "POOLTRIAGE_TICKET_PASSWORD or POOLTRIAGE_TICKET_TOKEN (HTTP Basic), or\n"
        "POOLTRIAGE_TICKET_TOKEN alone (Bearer); or POOLTRIAGE_TICKET_CREDENTIALS\n"
        "naming a file (mode 600) of 'user = ', 'token = ', 'password = ' lines.\n"
        "\n"
        "Exit: 0 ok, 2 usage, 3 a report can't be read, 5 a ticket failed (the map\n"
        "keeps the others: run again to file only what is missing).\n");
}

enum { OPT_TO = 256, OPT_URL, OPT_DRY_RUN, OPT_MAP, OPT_PROJECT, OPT_ISSUE_TYPE,
       OPT_MIN_LEVEL, OPT_TIMEOUT, OPT_RETRIES, OPT_RETRY_DELAY, OPT_MAX_RETRY_AFTER,
       OPT_CA_FILE, OPT_STRICT, OPT_JSON, OPT_SECRET, OPT_HELP, OPT_JIRA_API, OPT_ALLOW_HTTP,
       OPT_OUTPUT };

static const struct option long_opts[] = {
    {"to", required_argument, NULL, OPT_TO},
    {"url", required_argument, NULL, OPT_URL},
    {"allow-http", no_argument, NULL, OPT_ALLOW_HTTP},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"map", required_argument, NULL, OPT_MAP},
    {"project", required_argument, NULL, OPT_PROJECT},
    {"issue-type", required_argument, NULL, OPT_ISSUE_TYPE},
    {"jira-api", required_argument, NULL, OPT_JIRA_API},
    {"min-level", required_argument, NULL, OPT_MIN_LEVEL},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"retry-delay", required_argument, NULL, OPT_RETRY_DELAY},
    {"max-retry-after", required_argument, NULL, OPT_MAX_RETRY_AFTER},
    {"ca-file", required_argument, NULL, OPT_CA_FILE},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"json", no_argument, NULL, OPT_JSON},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"token", required_argument, NULL, OPT_SECRET},
    {"password", required_argument, NULL, OPT_SECRET},
    {"user", required_argument, NULL, OPT_SECRET},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

typedef struct args {
    pt_ticket_opts o;
    char url[2048];
    const char *map;
    bool dry_run, strict, json, have_to;
    int first;
    const char *output;   /* -o FILE: the run's lines, written once at the end */
    pt_buf report;        /* those lines until then */
} args;

static bool number(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int option(args *a, int c, char **argv)
{
    long v;
    switch (c) {
    case OPT_TO:
        a->have_to = pt_ticket_kind_parse(optarg, &a->o.kind);
        return a->have_to ? 0 : pt_cli_usage("ticket", "unknown --to '%s' (webhook, jira, "
                                             "servicenow, slack or teams)", optarg);
    case OPT_JIRA_API:
        if (strcmp(optarg, "2") != 0 && strcmp(optarg, "3") != 0)
            return pt_cli_usage("ticket", "--jira-api takes 2 or 3, not '%s'", optarg);
        a->o.jira_api = optarg[0] - '0';
        return 0;
    case OPT_URL:
        snprintf(a->url, sizeof a->url, "%s", optarg);
        for (size_t n = strlen(a->url); n > 0 && a->url[n - 1] == '/'; n--)
            a->url[n - 1] = '\0';
        return 0;
    case OPT_DRY_RUN: a->dry_run = true; return 0;
    case OPT_ALLOW_HTTP: a->o.allow_http = true; return 0;
    case OPT_MAP: a->map = optarg; return 0;
    case OPT_PROJECT: a->o.project = optarg; return 0;
    case OPT_ISSUE_TYPE: a->o.issue_type = optarg; return 0;
    case OPT_MIN_LEVEL:
        return pt_level_parse(optarg, &a->o.min_level) && a->o.min_level > PT_LEVEL_CLEAN ? 0
               : pt_cli_usage("ticket", "unknown --min-level '%s' (info, suspect, likely or "
                              "known)", optarg);
    case OPT_TIMEOUT:
    case OPT_RETRIES:
    case OPT_RETRY_DELAY:
    case OPT_MAX_RETRY_AFTER:
        if (!number(optarg, c == OPT_TIMEOUT ? 1 : 0, c == OPT_RETRIES ? 10 : 3600000, &v))
            return pt_cli_usage("ticket", "--%s needs a whole number in range, not '%s'",
                                c == OPT_TIMEOUT ? "timeout" : c == OPT_RETRIES ? "retries"
                                : c == OPT_RETRY_DELAY ? "retry-delay" : "max-retry-after",
                                optarg);
        if (c == OPT_TIMEOUT) a->o.timeout = v;
        if (c == OPT_RETRIES) a->o.retries = (int)v;
        if (c == OPT_RETRY_DELAY) a->o.retry_delay_ms = v;
        if (c == OPT_MAX_RETRY_AFTER) a->o.max_retry_after = v;
        return 0;
    case OPT_CA_FILE: a->o.ca_file = optarg; return 0;
    case OPT_STRICT: a->strict = true; return 0;
    case OPT_JSON: a->json = true; return 0;
    case 'o':
    case OPT_OUTPUT: a->output = optarg; return 0;
    case OPT_SECRET:
        return pt_cli_usage("ticket", "credentials are never taken from the command line "
                            "(they would show in ps and shell history); set "
                            "POOLTRIAGE_TICKET_USER, POOLTRIAGE_TICKET_TOKEN or "
                            "POOLTRIAGE_TICKET_PASSWORD");
    }
    return pt_cli_usage("ticket", "unknown option '%s'", argv[optind - 1]);
}

/* The URL is checked before any work, dry run or not: a URL the real run
 * would refuse fails now, once, with exit 2. */
static int check_url(args *a)
{
    char path[4096];
    pt_fetch_config cfg;
    pt_error err = {0};
    pt_fetch_config_init(&cfg);
    pt_fetch_config_path(path, sizeof path);
    if (pt_fetch_config_read(path, &cfg, &err) != PT_OK)
        return err.code == PT_EUSAGE ? pt_cli_usage("ticket", "%s: %s", err.where, err.message)
                                     : pt_cli_fail(&err);
    a->o.allow_http |= cfg.ticket_allow_http;
    if (pt_ticket_url_check(a->url, a->o.allow_http, &err) != PT_OK)
        return pt_cli_usage("ticket", "--url '%s': %s", a->url, err.message);
    if (strncasecmp(a->url, "http://", 7) == 0 && pt_http_url_allowed(a->url, NULL) != PT_OK)
        fprintf(stderr, "pooltriage: warning: --url '%s': plain http to a host that is not "
                "loopback (allowed by %s): tickets and credentials travel unencrypted\n",
                a->url, cfg.ticket_allow_http ? "ticket_allow_http in the config" : "--allow-http");
    return 0;
}

static int parse(int argc, char **argv, args *a)
{
    int c;
    pt_ticket_opts_init(&a->o);
    a->o.project = getenv("POOLTRIAGE_JIRA_PROJECT");
    a->o.issue_type = getenv("POOLTRIAGE_JIRA_ISSUETYPE");
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        if (c == 'h' || c == OPT_HELP) {
            help();
            return -1;
        }
        if (c == ':')
            return pt_cli_usage("ticket", "option '%s' needs a value", argv[optind - 1]);
        int rc = option(a, c, argv);
        if (rc != 0)
            return rc;
    }
    if (!a->have_to || a->url[0] == '\0')
        return pt_cli_usage("ticket", "give --to webhook|jira|servicenow|slack|teams and "
                            "--url URL");
    if (optind >= argc)
        return pt_cli_usage("ticket", "give at least one REPORT (a file, a folder or -)");
    int rc = check_url(a);
    if (rc != 0)
        return rc;
    if (a->o.kind == PT_TICKET_JIRA && (a->o.project == NULL || a->o.project[0] == '\0'))
        return pt_cli_usage("ticket", "a Jira ticket needs a project key: set "
                            "POOLTRIAGE_JIRA_PROJECT or give --project KEY");
    a->o.url = a->url;
    a->first = optind;
    return 0;
}

/* ---- output ---- */

static const char *const outcome_words[] = {"created", "updated", "unchanged", "below",
                                            "failed", "planned"};

/* One line of the run's output: to stdout at once, or kept for -o FILE. */
static void emit(args *a, pt_buf *line)
{
    if (line->failed)
        a->report.failed = true;
    else if (a->output)
        pt_buf_append(&a->report, line->data ? line->data : "", line->len);
    else {
        fputs(line->data ? line->data : "", stdout);
        fflush(stdout);
    }
    pt_buf_free(line);
}

static void print_json_event(args *a, const pt_ticket_event *ev)
{
    const pt_ticket_rec *r = ev->rec;
    pt_buf line = {0};
    pt_buf_printf(&line, "{\"fingerprint\":\"%s\",\"outcome\":\"%s\",\"level\":\"%s\","
                  "\"hosts\":%zu,\"status\":%ld", ev->problem->fingerprint,
                  outcome_words[ev->outcome], pt_level_name(ev->problem->level),
                  ev->problem->host_count, ev->status);
    /* ids, URLs and messages can hold anything: quoted as JSON strings,
     * valid UTF-8 with every control escaped */
    const char *fields[][2] = {{"ticket_id", r ? r->id : NULL}, {"ticket_key", r ? r->key : NULL},
                               {"ticket_url", r ? r->url : NULL},
                               {"error", ev->error ? ev->error->message : NULL}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        pt_buf_printf(&line, ",\"%s\":", fields[i][0]);
        if (fields[i][1] == NULL || fields[i][1][0] == '\0') {
            pt_buf_puts(&line, "null");
            continue;
        }
        pt_buf q = {0};
        pt_json_quote(&q, fields[i][1]);
        pt_buf_puts(&line, q.failed || q.data == NULL ? "null" : q.data);
        pt_buf_free(&q);
    }
    pt_buf_puts(&line, "}\n");
    emit(a, &line);
}

static void print_planned(args *a, const pt_ticket_event *ev)
{
    const pt_ticket_request *q = ev->request;
    pt_buf line = {0};
    pt_buf_printf(&line, "{\"to\":\"%s\",\"action\":\"%s\",\"fingerprint\":\"%s\","
                  "\"method\":\"%s\",\"url\":\"", pt_ticket_kind_name(a->o.kind),
                  q->update ? "update" : "create", ev->problem->fingerprint, q->method);
    for (const char *p = q->url; *p; p++) {
        if (*p == '"' || *p == '\\')
            pt_buf_puts(&line, "\\");
        pt_buf_append(&line, p, 1);
    }
    pt_buf_printf(&line, "\",\"body\":%s}\n", q->body.data ? q->body.data : "null");
    emit(a, &line);
}

static void print_text_event(args *a, const pt_ticket_event *ev)
{
    const pt_fleet_problem *p = ev->problem;
    const pt_ticket_rec *r = ev->rec;
    const char *title = p->kb_title ? p->kb_title : p->title ? p->title : p->rule;
    pt_buf line = {0};
    switch (ev->outcome) {
    case PT_TICKET_BELOW:
        pt_term_printf(&line, "below     %s (%s, below --min-level): %s\n", p->fingerprint,
                       pt_level_name(p->level), title);
        break;
    case PT_TICKET_FAILED:
        pt_term_printf(&line, "failed    %s: %s\n", p->fingerprint, title);
        emit(a, &line);
        pt_cli_error("%s%s%s", ev->error->where,
                ev->error->where[0] ? ": " : "", ev->error->message);
        return;
    default:
        /* ids and URLs are the server's text: cleaned like any other */
        pt_term_printf(&line, "%-9s %s %s (%s, %zu host%s): %s\n", outcome_words[ev->outcome],
                       r && r->key[0] ? r->key : "-", r && r->url[0] ? r->url : "-",
                       pt_level_name(p->level), p->host_count, p->host_count == 1 ? "" : "s",
                       title);
    }
    emit(a, &line);
}

static void on_event(void *ctx, const pt_ticket_event *ev)
{
    args *a = ctx;
    if (ev->outcome == PT_TICKET_PLANNED)
        print_planned(a, ev);
    else if (a->dry_run && ev->outcome == PT_TICKET_BELOW)
        /* the output stays pure JSON Lines of payloads */
        pt_cli_error("not filed: %s (%s, below --min-level)",
                ev->problem->fingerprint, pt_level_name(ev->problem->level));
    else if (a->json)
        print_json_event(a, ev);
    else
        print_text_event(a, ev);
    if (ev->outcome == PT_TICKET_FAILED && a->json)
        pt_cli_error("%s%s%s", ev->error->where,
                ev->error->where[0] ? ": " : "", ev->error->message);
}

static void warn(void *ctx, const char *where, const char *message)
{
    (void)ctx;
    pt_cli_warn("%s: %s", where, message);
}

static int file_tickets(args *a, pt_fleet *fleet)
{
    pt_error err = {0};
    char map[PATH_MAX];
    if (a->map)
        snprintf(map, sizeof map, "%s", a->map);
    else
        pt_ticket_map_default_path(map, sizeof map);
    if (!a->dry_run && pt_ticket_creds_load(&a->o.creds, &err) != PT_OK)
        return err.code == PT_EUSAGE ? pt_cli_usage("ticket", "%s: %s", err.where, err.message)
                                     : pt_cli_fail(&err); /* not a regular file: exit 3 */
    if (!a->dry_run && (a->o.kind == PT_TICKET_JIRA || a->o.kind == PT_TICKET_SERVICENOW) &&
        !a->o.creds.token[0] &&
        !a->o.creds.password[0])
        pt_cli_warn("no credentials in the environment; set "
                        "POOLTRIAGE_TICKET_USER and POOLTRIAGE_TICKET_TOKEN");
    pt_code rc = pt_ticket_run(&a->o, fleet, map, a->dry_run, on_event, a, &err);
    memset(&a->o.creds, 0, sizeof a->o.creds);
    int status = rc == PT_OK ? PT_EXIT_OK : pt_cli_fail(&err);
    /* -o FILE: what was filed is worth keeping even when a ticket failed */
    if (a->output) {
        pt_cli_set_output(a->output);
        int wrc = pt_cli_write(&a->report);
        if (status == PT_EXIT_OK)
            status = wrc;
    } else if (fflush(stdout) != 0) {
        status = PT_EXIT_INPUT;
    }
    return status;
}

int cmd_ticket(int argc, char **argv)
{
    args a = {0};
    int status = parse(argc, argv, &a);
    pt_fleet *fleet = NULL;
    pt_kb *kb = NULL;
    pt_error err = {0};
    if (status != 0)
        goto done;
    fleet = pt_fleet_open(warn, NULL);
    if (fleet == NULL) {
        pt_error_set(&err, PT_ENOMEM, "", "out of memory");
        status = pt_cli_fail(&err);
        goto done;
    }
    /* version-1 reports: the KB names the affected range of a known issue */
    if (pt_kb_open(pt_cli_default_kb(), &kb, &err) == PT_OK)
        pt_fleet_use_kb(fleet, kb);
    memset(&err, 0, sizeof err);
    for (int i = a.first; i < argc; i++)
        if (pt_fleet_add_path(fleet, argv[i], &err) != PT_OK) {
            status = pt_cli_fail(&err);
            goto done;
        }
    pt_fleet_stats st;
    pt_fleet_stats_get(fleet, &st);
    if (a.strict && st.skipped) {
        fprintf(stderr, "pooltriage: %zu report%s skipped with --strict; nothing was filed\n",
                st.skipped, st.skipped == 1 ? "" : "s");
        status = PT_EXIT_INPUT;
        goto done;
    }
    status = file_tickets(&a, fleet);
done:
    pt_buf_free(&a.report);
    pt_fleet_close(fleet);
    pt_kb_close(kb);
    return status < 0 ? PT_EXIT_OK : status;
}
