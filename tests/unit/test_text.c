/* test_text.c - untrusted text, cleaned per format: terminal, JSON, CSV,
 * HTML, and secrets removed from server text. */
#include "test_support.h"

#include <cJSON.h>
#include <string.h>

/* The buffer's text (NUL-terminated by pt_buf) or "". */
static const char *text(const pt_buf *b) { return b->data ? b->data : ""; }

static void terminal_text_escapes_controls_and_broken_utf8_and_keeps_the_rest(void **state)
{
    (void)state;
    pt_buf b = {0};
    pt_term_puts(&b, "evil\x1b]0;pwned\x07.sys\r\n\t caf\xc3\xa9 \xff\xfe end");
    assert_string_equal(text(&b), "evil\\x1b]0;pwned\\x07.sys\\x0d\\x0a\\x09 caf\xc3\xa9 "
                                  "\\xff\\xfe end");
    pt_buf_free(&b);
    /* C1 CSI, bidi override, line separator, DEL; overlong '/' and a surrogate */
    pt_term_puts(&b, "a\xc2\x9b" "b\xe2\x80\xae" "c\xe2\x80\xa8" "d\x7f" "e\xc0\xaf" "f\xed\xa0\x80");
    assert_string_equal(text(&b), "a\\u009bb\\u202ec\\u2028d\\x7fe\\xc0\\xaff\\xed\\xa0\\x80");
    pt_buf_free(&b);
    const char *win = "C:\\Windows\\mfeavfk.sys \xe6\x88\x90";
    assert_true(pt_term_is_clean(win, strlen(win)));
    assert_false(pt_term_is_clean(win, strlen(win) - 1));   /* a cut UTF-8 sequence */
    assert_false(pt_term_is_clean("a\x1b", 2));
}

static void term_printf_cleans_every_string_argument_but_not_the_format(void **state)
{
    (void)state;
    pt_buf b = {0};
    pt_term_printf(&b, "\033[31m%-6s|%5.2s|%c|%d %u %ld %llu %zu %x %.1f %.*f %%\n",
                   "a\x1b", "xyz", '\a', -3, 7u, -8L, 9ull, (size_t)10, 255u, 1.25, 2, 3.14159);
    assert_string_equal(text(&b), "\033[31ma\\x1b |   xy|\\x07|-3 7 -8 9 10 ff 1.2 3.14 %\n");
    pt_buf_free(&b);
}

/* A precision counts bytes of the argument, as printf's does: only those
 * are read (the argument need not end with a NUL) and escaped, and the
 * escape of a byte is never cut in half. */
static void term_printf_precision_reads_and_escapes_only_its_bytes(void **state)
{
    (void)state;
    pt_buf b = {0};
    const char raw[3] = {'\xff', '\xfe', 'Z'};   /* no NUL */
    pt_term_printf(&b, "'%.*s'|%.1s|%-4.1s|", 2, raw, "\x1b" "abc", "ab");
    assert_string_equal(text(&b), "'\\xff\\xfe'|\\x1b|a   |");
    pt_buf_free(&b);
}

static void json_strings_are_valid_utf8_and_paths_keep_their_bytes(void **state)
{
    (void)state;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "title", pt_json_str("a\x1b\xff" "b\xc3\xa9"));
    pt_json_add_path(o, "path", "/tmp/caf\xe9.sys");
    pt_json_add_path(o, "ok", "/tmp/plain.sys");
    pt_json_add_path(o, "none", NULL);
    pt_buf b = {0};
    pt_json_finish(&b, o, false);
    assert_true(pt_utf8_valid(text(&b), b.len));
    assert_string_equal(text(&b), "{\"title\":\"a\\u001b\xef\xbf\xbd" "b\xc3\xa9\","
                                  "\"path\":\"/tmp/caf\xef\xbf\xbd.sys\","
                                  "\"path_bytes\":\"2f746d702f636166e92e737973\","
                                  "\"ok\":\"/tmp/plain.sys\",\"ok_bytes\":null,"
                                  "\"none\":null,\"none_bytes\":null}\n");
    pt_buf_free(&b);
    cJSON_Delete(o);
}

static void json_output_escapes_del_and_c1_controls(void **state)
{
    (void)state;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "s", pt_json_str("x\x7fy\xc2\x9bz"));
    pt_buf b = {0};
    pt_json_finish(&b, o, false);
    assert_string_equal(text(&b), "{\"s\":\"x\\u007fy\\u009bz\"}\n");
    pt_buf_free(&b);
    pt_json_quote(&b, "q\"\\\x01\xff");
    pt_buf_puts(&b, " ");
    pt_json_quote(&b, NULL);
    assert_string_equal(text(&b), "\"q\\\"\\\\\\u0001\xef\xbf\xbd\" null");
    pt_buf_free(&b);
    cJSON_Delete(o);
}

static void csv_cells_defuse_formulas_and_clean_controls(void **state)
{
    (void)state;
    pt_buf b = {0};
    pt_csv_cell(&b, "=cAfee, LLC", false);
    pt_csv_cell(&b, "+1", false);
    pt_csv_cell(&b, "-2", false);
    pt_csv_cell(&b, "@SUM(A1)", false);
    pt_csv_cell(&b, "\tx", false);
    pt_csv_cell(&b, "\rx", false);
    pt_csv_cell(&b, "evil\x1b.sys", false);
    pt_csv_cell(&b, "two\nlines", false);
    pt_csv_number(&b, "-5", true);
    assert_string_equal(text(&b), "\"'=cAfee, LLC\",'+1,'-2,'@SUM(A1),'\tx,\"'\rx\","
                                  "evil\\x1b.sys,\"two\nlines\",-5\r\n");
    pt_buf_free(&b);
}

static void html_escape_covers_markup_quotes_and_controls(void **state)
{
    (void)state;
    pt_buf b = {0};
    pt_html_escape(&b, "<a href='x'>\"&\x1b\xff\n</a>");
    assert_string_equal(text(&b), "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&#xfffd;\xef\xbf\xbd\n"
                                  "&lt;/a&gt;");
    pt_buf_free(&b);
}

static void redact_removes_every_secret_of_four_bytes_or_more(void **state)
{
    (void)state;
    const char *secrets[] = {"s3cr3t-token", NULL, "abc", "b3BzOnM="};
    const char *body = "Authorization: Bearer s3cr3t-token; Basic b3BzOnM=; abc stays";
    pt_buf b = {0};
    pt_text_redact(&b, body, strlen(body), secrets, 4);
    assert_string_equal(text(&b), "Authorization: Bearer [redacted]; Basic [redacted]; abc stays");
    pt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(terminal_text_escapes_controls_and_broken_utf8_and_keeps_the_rest),
        cmocka_unit_test(term_printf_cleans_every_string_argument_but_not_the_format),
        cmocka_unit_test(term_printf_precision_reads_and_escapes_only_its_bytes),
        cmocka_unit_test(json_strings_are_valid_utf8_and_paths_keep_their_bytes),
        cmocka_unit_test(json_output_escapes_del_and_c1_controls),
        cmocka_unit_test(csv_cells_defuse_formulas_and_clean_controls),
        cmocka_unit_test(html_escape_covers_markup_quotes_and_controls),
        cmocka_unit_test(redact_removes_every_secret_of_four_bytes_or_more),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
