/*
 * pt_ticket.h - `pooltriage ticket`: one ticket per problem of a
 * pt_fleet, posted with libcurl to a generic JSON webhook, Jira or
 * ServiceNow, with a local SQLite map fingerprint -> ticket so a re-run
 * updates or skips instead of filing twice.  Linked by the CLI alone.
 */
#ifndef PT_TICKET_H
#define PT_TICKET_H

#include "pooltriage/pooltriage.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- limits and defaults (one comment each) ---- */

/* A ticket system's answer larger than this is cut off: a create-issue
 * answer is a few hundred bytes. */
#define PT_TICKET_MAX_RESPONSE (1024u * 1024u)
/* Timeouts (seconds): a ticket POST is small, so a minute is generous. */
#define PT_TICKET_DEFAULT_TIMEOUT 30L
#define PT_TICKET_DEFAULT_CONNECT_TIMEOUT 10L
/* Retries after the first try (5xx, 429, connection refused) and the first
 * back-off delay, doubled each time up to PT_TICKET_MAX_BACKOFF_MS. */
#define PT_TICKET_DEFAULT_RETRIES 3
#define PT_TICKET_DEFAULT_RETRY_DELAY_MS 1000L
#define PT_TICKET_MAX_BACKOFF_MS 30000L
/* The longest Retry-After (seconds) waited for; a server asking for more
 * fails that ticket, and a re-run files it later. */
#define PT_TICKET_DEFAULT_MAX_RETRY_AFTER 60L
/* Jira summaries hold 255 characters, ServiceNow short descriptions 160. */
#define PT_TICKET_JIRA_SUMMARY_MAX 255u
#define PT_TICKET_SNOW_SUMMARY_MAX 160u
/* Slack: the notification text is cut at 3,000 characters, a header block
 * at 150 and a section's text at 3,000 (Slack's block limits). */
#define PT_TICKET_SLACK_TEXT_MAX 3000u
#define PT_TICKET_SLACK_HEADER_MAX 150u
#define PT_TICKET_SLACK_SECTION_MAX 3000u
/* Teams: at most this many link buttons under a card. */
#define PT_TICKET_TEAMS_MAX_ACTIONS 5u
/* Credentials are short; a longer value is refused as a mistake. */
#define PT_TICKET_MAX_SECRET 4096u

typedef enum pt_ticket_kind {
    PT_TICKET_WEBHOOK = 0,
    PT_TICKET_JIRA = 1,
    PT_TICKET_SERVICENOW = 2,
    PT_TICKET_SLACK = 3,         /* a Slack incoming webhook */
    PT_TICKET_TEAMS = 4          /* a Microsoft Teams (Workflows) incoming webhook */
} pt_ticket_kind;

/* "webhook", "jira", "servicenow", "slack", "teams"; parse gives false for
 * another name. */
const char *pt_ticket_kind_name(pt_ticket_kind kind);
bool pt_ticket_kind_parse(const char *name, pt_ticket_kind *out);

/* Credentials: never from the command line.  With user and a password (or
 * token) the request uses HTTP Basic; with a token alone, Bearer. */
typedef struct pt_ticket_creds {
    char user[512];
    char token[PT_TICKET_MAX_SECRET];
    char password[PT_TICKET_MAX_SECRET];
} pt_ticket_creds;

/* Reads POOLTRIAGE_TICKET_USER, POOLTRIAGE_TICKET_TOKEN and
 * POOLTRIAGE_TICKET_PASSWORD, then, when POOLTRIAGE_TICKET_CREDENTIALS
 * names a file, its `user = ...`, `token = ...`, `password = ...` lines
 * (the environment wins).  The file must not be readable by group or
 * others.  PT_EUSAGE with the reason. */
pt_code pt_ticket_creds_load(pt_ticket_creds *out, pt_error *err);

typedef struct pt_ticket_opts {
    pt_ticket_kind kind;
    const char *url;             /* the webhook URL, or the Jira / ServiceNow base URL */
    const char *project;         /* Jira project key (required for Jira) */
    const char *issue_type;      /* Jira issue type; NULL: "Bug" */
    int jira_api;                /* Jira REST API version, 2 (Server and Data
                                  * Center: wiki-markup descriptions) or 3 (Cloud:
                                  * Atlassian Document Format); 0: ask the server
                                  * (pt_ticket_jira_detect), or 3 in a dry run */
    pt_level min_level;          /* problems below this get no ticket */
    long timeout, connect_timeout;    /* seconds */
    int retries;
    long retry_delay_ms;
    long max_retry_after;        /* seconds */
    const char *ca_file;         /* or NULL */
    bool allow_http;             /* plain http:// to any host (an admin's opt-in for
                                  * an internal webhook); else loopback only */
    pt_ticket_creds creds;
} pt_ticket_opts;

/* Whether tickets may go to `url`: https://, or http:// to loopback, or
 * http:// to any host when allow_http.  PT_EUSAGE (exit 2) saying why not,
 * so the CLI refuses the URL before it reads a report or plans a ticket. */
pt_code pt_ticket_url_check(const char *url, bool allow_http, pt_error *err);

/* Sets the defaults above (webhook, min_level likely, no URL). */
void pt_ticket_opts_init(pt_ticket_opts *out);

/* ---- the map: $XDG_STATE_HOME/pooltriage/tickets.sqlite ---- */

typedef struct pt_ticket_map pt_ticket_map;

/* One filed ticket.  `id` is what the API updates (Jira key, ServiceNow
 * sys_id, the webhook's "id"), `key` what people read (INC0010001). */
typedef struct pt_ticket_rec {
    char id[256];
    char key[256];
    char url[2048];
    pt_level level;
    int64_t host_count;
} pt_ticket_rec;

/* The default path ($XDG_STATE_HOME/pooltriage/tickets.sqlite, else
 * ~/.local/state/pooltriage/tickets.sqlite). */
void pt_ticket_map_default_path(char *buf, size_t len);
/* Opens (creating it and its folder) the map.  With readonly a missing
 * map gives *out NULL and PT_OK, and nothing is created.  PT_EIO. */
pt_code pt_ticket_map_open(const char *path, bool readonly, pt_ticket_map **out,
                           pt_error *err);
void pt_ticket_map_close(pt_ticket_map *map);
/* Looks a ticket up; *found false when there is none.  map may be NULL. */
pt_code pt_ticket_map_get(pt_ticket_map *map, pt_ticket_kind kind, const char *endpoint,
                          const char *fingerprint, pt_ticket_rec *out, bool *found,
                          pt_error *err);
/* True when the ticket already lists `host` (map may be NULL: false). */
bool pt_ticket_map_has_host(pt_ticket_map *map, pt_ticket_kind kind, const char *endpoint,
                            const char *fingerprint, const char *host);
/* Records (inserts or replaces) a ticket and adds host names to it, in one
 * transaction. */
pt_code pt_ticket_map_put(pt_ticket_map *map, pt_ticket_kind kind, const char *endpoint,
                          const char *fingerprint, const pt_ticket_rec *rec,
                          const char *const *hosts, size_t host_count, pt_error *err);

/* ---- payloads ---- */

typedef struct pt_ticket_request {
    const char *method;          /* "POST" or "PATCH" */
    char url[4096];
    pt_buf body;                 /* JSON; pt_buf_free it */
    bool update;                 /* updates an existing ticket */
} pt_ticket_request;

/* The request that files problem p (existing NULL) or adds new_hosts to
 * the ticket `existing`.  The shapes are in docs/fleet.md.  PT_EUSAGE
 * (a Jira ticket without a project key), PT_ENOMEM. */
pt_code pt_ticket_payload(const pt_ticket_opts *o, const pt_fleet_problem *p,
                          const pt_ticket_rec *existing, const char *const *new_hosts,
                          size_t new_count, pt_ticket_request *out, pt_error *err);

/* ---- sending ---- */

typedef struct pt_ticket_response {
    long status;                 /* final HTTP status, 0 when none */
    int tries;
    pt_ticket_rec rec;           /* id, key and url from the answer (create) */
    char deployment_type[32];    /* Jira serverInfo: "Cloud", "Server", "DataCenter" */
} pt_ticket_response;

/* Sends one request with the transport policy: https://, or http:// to
 * loopback only; no redirects; timeouts; 5xx and connection failures
 * retried with back-off; 429 waits for Retry-After (at most
 * max_retry_after); a timeout is not retried (the server may have acted).
 * PT_ENET with the reason; err->code PT_ENET and out->status 401 or 403
 * mean the credentials were refused. */
pt_code pt_ticket_send(const pt_ticket_opts *o, const pt_ticket_request *req,
                       pt_ticket_response *out, pt_error *err);

/* Asks a Jira at o->url which REST API it serves: GET
 * URL/rest/api/2/serverInfo, whose deploymentType is "Cloud" (version 3)
 * or "Server" / "DataCenter" (version 2).  *out is 2 or 3.  PT_ENET when
 * the server does not answer or the answer names no deployment type. */
pt_code pt_ticket_jira_detect(const pt_ticket_opts *o, int *out, pt_error *err);

/* ---- the whole run ---- */

typedef enum pt_ticket_outcome {
    PT_TICKET_CREATED = 0,
    PT_TICKET_UPDATED = 1,
    PT_TICKET_UNCHANGED = 2,     /* the ticket already lists every host */
    PT_TICKET_BELOW = 3,         /* below min_level: no ticket */
    PT_TICKET_FAILED = 4,
    PT_TICKET_PLANNED = 5        /* dry run: the request that would be sent */
} pt_ticket_outcome;

typedef struct pt_ticket_event {
    const pt_fleet_problem *problem;
    pt_ticket_outcome outcome;
    const pt_ticket_rec *rec;    /* the ticket (created, updated, unchanged), or NULL */
    const pt_ticket_request *request; /* sent or planned, or NULL */
    const pt_error *error;       /* FAILED: why */
    long status;                 /* HTTP status, 0 when none */
} pt_ticket_event;

typedef void (*pt_ticket_event_fn)(void *ctx, const pt_ticket_event *ev);

/* Files one ticket per problem of `fleet` at or above o->min_level, in the
 * fleet's order.  A Jira without o->jira_api is asked first
 * (pt_ticket_jira_detect; a dry run assumes 3).  Each ticket is recorded in the map in its own
 * transaction right after the server confirms it.  With dry_run nothing is
 * sent and the map is only read (when it exists).  A refused credential
 * (401, 403) stops the run; other failures are reported and the run goes
 * on.  PT_ENET when any ticket failed, PT_EIO for the map. */
pt_code pt_ticket_run(const pt_ticket_opts *o, pt_fleet *fleet, const char *map_path,
                      bool dry_run, pt_ticket_event_fn fn, void *ctx, pt_error *err);

#endif
