/* test_fetch_transport.c - the transport of fetch/ (fetch/src/transport.c)
 * without the network: which answers are retried (HTTP statuses, libcurl
 * codes, idempotent or not), the back-off and its cap, Retry-After (delay
 * seconds, HTTP dates, garbage) and its cap, the URL policy, credentials
 * kept out of messages, and the retry loop over file:// (a size cap, a
 * missing file that is not retried). */
#include "test_support.h"
#include "pooltriage/platform.h"
#include "transport.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void statuses_408_429_and_5xx_are_retried_other_4xx_never(void **state)
{
    (void)state;
    static const long yes[] = {408, 429, 500, 502, 503, 504, 599};
    static const long no[] = {0, 200, 204, 301, 304, 400, 401, 403, 404, 405, 409, 410, 413,
                              451, 499, 600};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        assert_true(pt_net_retryable(CURLE_OK, yes[i], true));
        assert_true(pt_net_retryable(CURLE_OK, yes[i], false)); /* the server did nothing */
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(pt_net_retryable(CURLE_OK, no[i], true));
}

static void connection_failures_and_timeouts_are_retried_tls_errors_never(void **state)
{
    (void)state;
    static const CURLcode always[] = {CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST,
                                      CURLE_COULDNT_RESOLVE_PROXY, CURLE_GOT_NOTHING,
                                      CURLE_SEND_ERROR, CURLE_RECV_ERROR};
    static const CURLcode never[] = {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
                                     CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR,
                                     CURLE_FILESIZE_EXCEEDED, CURLE_WRITE_ERROR,
                                     CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT,
                                     CURLE_TOO_MANY_REDIRECTS, CURLE_FILE_COULDNT_READ_FILE};
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++) {
        assert_true(pt_net_retryable(always[i], 0, true));
        assert_true(pt_net_retryable(always[i], 0, false));
    }
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        assert_false(pt_net_retryable(never[i], 0, true));
        assert_false(pt_net_retryable(never[i], 200, true));
    }
    /* a timeout or a cut-short answer: again for GET, never for a POST the
     * server may have acted on */
    assert_true(pt_net_retryable(CURLE_OPERATION_TIMEDOUT, 0, true));
    assert_true(pt_net_retryable(CURLE_PARTIAL_FILE, 200, true));
    assert_false(pt_net_retryable(CURLE_OPERATION_TIMEDOUT, 0, false));
    assert_false(pt_net_retryable(CURLE_PARTIAL_FILE, 200, false));
}

static void the_backoff_doubles_up_to_its_cap(void **state)
{
    (void)state;
    assert_int_equal(pt_net_backoff_ms(1000, 0), 1000);
    assert_int_equal(pt_net_backoff_ms(1000, 1), 2000);
    assert_int_equal(pt_net_backoff_ms(1000, 2), 4000);
    assert_int_equal(pt_net_backoff_ms(1000, 4), 16000);
    assert_int_equal(pt_net_backoff_ms(1000, 5), PT_NET_MAX_BACKOFF_MS);
    assert_int_equal(pt_net_backoff_ms(1000, 1000), PT_NET_MAX_BACKOFF_MS);
    assert_int_equal(pt_net_backoff_ms(50, 0), 50);
    assert_int_equal(pt_net_backoff_ms(50, 3), 400);
    assert_int_equal(pt_net_backoff_ms(0, 3), 0);
    /* a first delay above the cap is honoured, and not doubled */
    assert_int_equal(pt_net_backoff_ms(600000, 0), 600000);
    assert_int_equal(pt_net_backoff_ms(600000, 9), 600000);
}

static void retry_after_is_seconds_or_an_http_date(void **state)
{
    (void)state;
    time_t now = curl_getdate("Wed, 21 Oct 2015 07:28:00 GMT", NULL);
    assert_true(now > 0);
    assert_int_equal(pt_net_retry_after_parse("120", now), 120);
    assert_int_equal(pt_net_retry_after_parse("0", now), 0);
    assert_int_equal(pt_net_retry_after_parse("  7 \r\n", now), 7);
    assert_int_equal(pt_net_retry_after_parse("Wed, 21 Oct 2015 07:29:30 GMT", now), 90);
    assert_int_equal(pt_net_retry_after_parse("Wed, 21 Oct 2015 07:00:00 GMT", now), 0);
    assert_int_equal(pt_net_retry_after_parse("99999999999999999999999", now), LONG_MAX);
    assert_int_equal(pt_net_retry_after_parse("", now), -1);
    assert_int_equal(pt_net_retry_after_parse("-5", now), -1);
    assert_int_equal(pt_net_retry_after_parse("12abc", now), -1);
    assert_int_equal(pt_net_retry_after_parse("soon", now), -1);
}

static void the_decision_counts_tries_and_caps_retry_after(void **state)
{
    (void)state;
    pt_net_opts o = {.retries = 2, .retry_delay_ms = 100, .max_retry_after = 60};
    long w = -1;
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 503, -1, 1, &w), PT_NET_RETRY);
    assert_int_equal(w, 100);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 503, -1, 2, &w), PT_NET_RETRY);
    assert_int_equal(w, 200);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 503, -1, 3, &w), PT_NET_EXHAUSTED);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 404, -1, 1, &w), PT_NET_DONE);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 200, 5, 1, &w), PT_NET_DONE);
    assert_int_equal(w, 0);
    /* Retry-After replaces the back-off, up to max_retry_after */
    assert_int_equal(pt_net_retry_decide(&o, false, CURLE_OK, 429, 5, 1, &w), PT_NET_RETRY);
    assert_int_equal(w, 5000);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 503, 3, 2, &w), PT_NET_RETRY);
    assert_int_equal(w, 3000);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 503, 60, 1, &w), PT_NET_RETRY);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 429, 61, 1, &w),
                     PT_NET_WAIT_TOO_LONG);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 429, 3600, 3, &w),
                     PT_NET_WAIT_TOO_LONG);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OK, 429, LONG_MAX, 1, &w),
                     PT_NET_WAIT_TOO_LONG);
    /* a timeout: again for GET, not for POST; a TLS refusal never */
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_OPERATION_TIMEDOUT, 0, -1, 1, &w),
                     PT_NET_RETRY);
    assert_int_equal(pt_net_retry_decide(&o, false, CURLE_OPERATION_TIMEDOUT, 0, -1, 1, &w),
                     PT_NET_DONE);
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_PEER_FAILED_VERIFICATION, 0, -1, 1,
                                         &w), PT_NET_DONE);
    /* no retries configured: the first retryable failure is final */
    o.retries = 0;
    assert_int_equal(pt_net_retry_decide(&o, true, CURLE_COULDNT_CONNECT, 0, -1, 1, &w),
                     PT_NET_EXHAUSTED);
}

static void the_url_policy_is_https_and_http_only_where_allowed(void **state)
{
    (void)state;
    pt_error err = {0};
    const unsigned upd = PT_NET_HTTP_LOOPBACK | PT_NET_FILE;
    assert_int_equal(pt_net_url_check("https://example.org/kb", 0, false, &err), PT_OK);
    assert_int_equal(pt_net_url_check("http://127.0.0.1:8080/kb", upd, false, &err), PT_OK);
    assert_int_equal(pt_net_url_check("http://localhost/kb", upd, true, &err), PT_OK);
    assert_int_equal(pt_net_url_check("http://[::1]:99/kb", upd, false, &err), PT_OK);
    assert_int_equal(pt_net_url_check("http://127.0.0.1/kb", 0, false, &err), PT_ENET);
    assert_int_equal(pt_net_url_check("http://example.org/kb", upd, false, &err), PT_ENET);
    assert_string_equal(err.message, "refusing plain http:// to 'example.org': use https:// "
                                     "(http:// is allowed only to 127.0.0.0/8, ::1 and "
                                     "localhost)");
    assert_int_equal(pt_net_url_check("http://example.org/kb", PT_NET_HTTP_ANY, false, &err),
                     PT_OK);
    assert_int_equal(pt_net_url_check("http://u:pw@example.org/kb", PT_NET_HTTP_ANY, false,
                                      &err), PT_ENET);
    assert_string_equal(err.where, "http://example.org/kb");
    assert_null(strstr(err.message, "pw"));
    assert_int_equal(pt_net_url_check("file:///srv/kb.sqlite", upd, false, &err), PT_OK);
    assert_int_equal(pt_net_url_check("file:///srv/kb.sqlite", upd, true, &err), PT_ENET);
    assert_string_equal(err.message, "refusing the 'file' scheme in a redirect: use https://");
    assert_int_equal(pt_net_url_check("file:///srv/kb.sqlite", 0, false, &err), PT_ENET);
    assert_int_equal(pt_net_url_check("ftp://user:secret@127.0.0.1/kb", upd, false, &err),
                     PT_ENET);
    assert_string_equal(err.where, "ftp://127.0.0.1/kb");
    assert_int_equal(pt_net_url_check("not a url", upd, false, &err), PT_ENET);
}

static void messages_name_the_url_without_credentials(void **state)
{
    (void)state;
    char out[256];
    pt_net_url_safe("https://user:secret@example.org:8443/a@b?x=1", out, sizeof out);
    assert_string_equal(out, "https://example.org:8443/a@b?x=1");
    pt_net_url_safe("https://token@example.org", out, sizeof out);
    assert_string_equal(out, "https://example.org");
    pt_net_url_safe("https://example.org/p?mail=a@b", out, sizeof out);
    assert_string_equal(out, "https://example.org/p?mail=a@b");
    pt_net_url_safe("no scheme@all", out, sizeof out);
    assert_string_equal(out, "no scheme@all");
    assert_true(pt_net_is_loopback("127.255.0.1"));
    assert_true(pt_net_is_loopback("LocalHost"));
    assert_false(pt_net_is_loopback("127.0.0.256"));
    assert_false(pt_net_is_loopback("128.0.0.1"));
    assert_false(pt_net_is_loopback("127.0.0.1.example.org"));
}

/* The loop over file:// (no network): a cap, and no retry of a missing file. */
static void the_loop_reads_file_urls_with_the_cap_and_no_needless_retry(void **state)
{
    (void)state;
    char dir[64] = "/tmp/pt_transport_XXXXXX", path[128], url[160];
    assert_true(pt_platform_make_temp_dir(dir));
    snprintf(path, sizeof path, "%s/body", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 300; i++)
        fputs("0123456789", f);
    fclose(f);
    snprintf(url, sizeof url, "file://%s", path);

    pt_net_opts o = {.allow = PT_NET_FILE, .timeout = 5, .max_size = 4096, .retries = 3,
                     .retry_delay_ms = 60000, .max_retry_after = 60, .noun = "download",
                     .body_noun = "download", .size_hint = "raise 'max_size'"};
    pt_buf body = {0};
    pt_net_result r = {0};
    r.mem = &body;
    pt_error err = {0};
    const pt_net_request req = {.url = url};
    assert_int_equal(pt_net_perform(&o, &req, &r, &err), PT_OK);
    assert_int_equal(body.len, 3000);
    assert_int_equal(r.tries, 1);

    o.max_size = 1024;
    assert_int_equal(pt_net_perform(&o, &req, &r, &err), PT_ENET);
    assert_string_equal(err.message, "download is larger than the limit of 1024 bytes; "
                                     "raise 'max_size'");
    assert_int_equal(r.tries, 1);

    snprintf(url, sizeof url, "file://%s/missing", dir);
    time_t t0 = time(NULL);
    assert_int_equal(pt_net_perform(&o, &req, &r, &err), PT_ENET);
    assert_int_equal(r.tries, 1); /* with a 60 s back-off, a retry would show */
    assert_true(time(NULL) - t0 < 30);
    assert_string_equal(err.where, url);
    assert_non_null(strstr(err.message, "download failed: "));
    pt_buf_free(&body);
    assert_int_equal(test_remove_tree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statuses_408_429_and_5xx_are_retried_other_4xx_never),
        cmocka_unit_test(connection_failures_and_timeouts_are_retried_tls_errors_never),
        cmocka_unit_test(the_backoff_doubles_up_to_its_cap),
        cmocka_unit_test(retry_after_is_seconds_or_an_http_date),
        cmocka_unit_test(the_decision_counts_tries_and_caps_retry_after),
        cmocka_unit_test(the_url_policy_is_https_and_http_only_where_allowed),
        cmocka_unit_test(messages_name_the_url_without_credentials),
        cmocka_unit_test(the_loop_reads_file_urls_with_the_cap_and_no_needless_retry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
