/*
 * transport.h - the one libcurl transport of fetch/ (private to fetch/src
 * and its unit test): the URL policy, the setup every easy handle gets, the
 * retry policy, the retry loop, and error text that names the URL (without
 * credentials) and what to do next.  update (http.c), ticket (ticket.c) and
 * kb links (links.c, on a multi handle) all go through it.
 */
#ifndef PT_TRANSPORT_H
#define PT_TRANSPORT_H

#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* ---- limits (one comment each) ---- */

/* Redirects followed per request; a loop stops here. */
#define PT_NET_MAX_REDIRECTS PT_FETCH_MAX_REDIRECTS
/* No back-off waits longer than this (unless the first delay asked for is
 * longer: a configured first delay is always honoured). */
#define PT_NET_MAX_BACKOFF_MS 30000L
/* A Retry-After longer than this (seconds) is not waited for by default. */
#define PT_NET_DEFAULT_MAX_RETRY_AFTER 60L
/* A transfer slower than this many bytes per second for PT_NET_LOW_SPEED_TIME
 * seconds has stalled and is aborted (then retried like a timeout). */
#define PT_NET_LOW_SPEED_BYTES 100L
#define PT_NET_LOW_SPEED_TIME 30L

/* ---- the URL policy ---- */

/* What a caller may fetch besides https:// (bits). */
enum {
    PT_NET_HTTP_LOOPBACK = 1, /* http:// to 127.0.0.0/8, ::1 and localhost */
    PT_NET_HTTP_ANY = 2,      /* http:// to any host (link checks; an admin's opt-in) */
    PT_NET_FILE = 4           /* file:// (never as a redirect's target) */
};

/* PT_OK when `url` may be fetched under `allow`; else PT_ENET saying why
 * (redirect: the URL is a redirect's target). */
pt_code pt_net_url_check(const char *url, unsigned allow, bool redirect, pt_error *err);
/* True for localhost, ::1 and 127.0.0.0/8 (dotted quad). */
bool pt_net_is_loopback(const char *host);
/* `url` with any user:password@ removed, for messages. */
void pt_net_url_safe(const char *url, char *out, size_t len);

/* ---- options: one set per kind of request ---- */

typedef enum pt_net_redirects {
    PT_NET_REDIRECT_NONE = 0, /* a 3xx is the answer */
    PT_NET_REDIRECT_CHECKED,  /* followed by pt_net_perform, each hop checked */
    PT_NET_REDIRECT_CURL      /* followed by libcurl, https (and http if allowed) only */
} pt_net_redirects;

typedef struct pt_net_opts {
    unsigned allow;             /* PT_NET_* bits */
    pt_net_redirects redirects;
    long connect_timeout;       /* seconds; 0: libcurl's default */
    long timeout;               /* seconds, the whole transfer; 0: none */
    uint64_t max_size;          /* bytes of answer; more aborts the transfer (0: no cap) */
    const char *agent_note;     /* appended to the user agent as " (note)", or NULL */
    const char *ca_file;        /* extra CA bundle (PEM), or NULL / "" */
    /* the retry policy */
    int retries;                /* tries after the first */
    long retry_delay_ms;        /* first back-off, doubled each retry */
    long max_retry_after;       /* seconds; a longer Retry-After fails at once */
    /* message words (NULL: a generic default) */
    const char *noun;           /* "download": "download timed out ..." */
    const char *body_noun;      /* "download": "download is larger than ..." */
    const char *url_hint;       /* "the feed URL": "check the network and the feed URL" */
    const char *timeout_hint;   /* "check the network or raise 'timeout' in the config" */
    const char *size_hint;      /* "raise 'max_size' in the config if ..." */
    const char *write_note;     /* after a write error: "the KB was not changed" */
    const char *ca_hint;        /* where a CA is named: "'ca_file' in the config" */
} pt_net_opts;

/* ---- one transfer's answer (the setup's callbacks fill it) ---- */

typedef struct pt_net_result {
    FILE *file;                 /* the body goes here (set by the caller) ... */
    pt_buf *mem;                /* ... or here; neither: dropped */
    uint64_t got;               /* body bytes of the last try */
    bool too_big;               /* the body passed max_size */
    bool write_failed;
    int werrno;
    CURLcode cc;                /* of the last try */
    long status;                /* HTTP status of the last try, 0 when none */
    int tries;                  /* of the last URL (redirects start again) */
    long retry_after;           /* seconds from Retry-After, -1 when absent */
    char etag[256];
    char last_modified[128];
    char errbuf[CURL_ERROR_SIZE];
    char where[512];            /* the last URL tried, without credentials */
    const pt_net_opts *opts;    /* set by pt_net_setup */
} pt_net_result;

/* curl_global_init, once per process (cleaned up at exit). */
void pt_net_global_init(void);
/* The one setup of an easy handle: URL, protocols, redirect policy,
 * timeouts, low-speed abort, size cap, user agent, CA, TLS verification,
 * no proxy for loopback (else libcurl's environment proxies), and the body
 * and header callbacks into *r (reset here for a new try). */
void pt_net_setup(CURL *c, const pt_net_opts *o, const char *url, pt_net_result *r);

/* ---- the retry policy ---- */

typedef enum pt_net_verdict {
    PT_NET_DONE = 0,            /* not retryable: the answer stands */
    PT_NET_RETRY = 1,           /* wait *wait_ms, then try again */
    PT_NET_EXHAUSTED = 2,       /* retryable, but the retries are used up */
    PT_NET_WAIT_TOO_LONG = 3    /* Retry-After is longer than max_retry_after */
} pt_net_verdict;

/* Whether an outcome is worth another try: connection failures, timeouts,
 * cut-short transfers, 408, 429 and 5xx.  Never a TLS verification error,
 * a size cap, another 4xx.  A request that may have had an effect
 * (idempotent false: POST, PATCH) is not retried after a timeout or a
 * cut-short answer, since the server may have acted on it. */
bool pt_net_retryable(CURLcode cc, long status, bool idempotent);
/* The back-off before retry number n (0 for the first): first_ms << n,
 * at most max(PT_NET_MAX_BACKOFF_MS, first_ms). */
long pt_net_backoff_ms(long first_ms, int n);
/* A Retry-After value (delay seconds or an HTTP date) in seconds from
 * `now`; -1 when it is neither.  A date in the past is 0. */
long pt_net_retry_after_parse(const char *value, time_t now);
/* What to do after try number `tries` (1 for the first) of a request. */
pt_net_verdict pt_net_retry_decide(const pt_net_opts *o, bool idempotent, CURLcode cc,
                                   long status, long retry_after, int tries, long *wait_ms);

/* ---- the retry loop ---- */

typedef struct pt_net_request {
    const char *url;
    const char *method;         /* NULL or "GET", "HEAD", "POST", "PATCH", ... */
    const char *body;           /* for POST and the like */
    size_t body_len;
    const struct curl_slist *headers; /* extra request headers, or NULL */
    const char *user, *password; /* HTTP Basic, or NULL */
} pt_net_request;

/* Sends req under o, retrying as pt_net_retry_decide says and following
 * redirects as o->redirects says.  The body goes to r->file (truncated
 * before each try) or r->mem.  PT_OK when an HTTP answer came (any
 * status: see r->status; pt_net_status_error words a bad one); else
 * PT_ENET (PT_ENOMEM) with a message naming the URL and the next step. */
pt_code pt_net_perform(const pt_net_opts *o, const pt_net_request *req, pt_net_result *r,
                       pt_error *err);
/* The message for an HTTP status that is not a success: "HTTP 500 from
 * the server (tries: 3); try again later" for a retryable one, else
 * "HTTP 404 from the server; <hint>". */
pt_code pt_net_status_error(const pt_net_result *r, const char *hint, pt_error *err);

#endif
