/*
 * pooltriage/text.h - core: untrusted text, cleaned once per output format
 * (terminal, JSON, HTML; CSV cells in the report stage build on these).
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_TEXT_H
#define POOLTRIAGE_TEXT_H

#include "core.h"

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Untrusted text, cleaned once per format                             */
/* ------------------------------------------------------------------ */
/* File names, version strings, capture cells, KB text, rule messages and
 * server replies are untrusted.  Every writer passes them through the
 * cleaner of its format (README "Untrusted text" says what this gives). */

/* True when len bytes at s are valid UTF-8 (no overlong forms, surrogates
 * or code points past U+10FFFF). */
bool pt_utf8_valid(const char *s, size_t len);
/* Length of the valid UTF-8 sequence at p (1 to 4, p < end), or 0 when p
 * does not start one. */
size_t pt_utf8_seq(const unsigned char *p, const unsigned char *end);

/* Terminal text: valid UTF-8 is kept, except the characters a terminal
 * acts on or that reorder text (C0 controls, DEL, C1 controls, U+2028,
 * U+2029, the bidi marks, embeddings, overrides and isolates).  Those
 * become \xHH (below U+0080) or \uHHHH, and each byte that is not part of
 * valid UTF-8 becomes \xHH.  A backslash is kept as it is, so the escaped
 * form is for people, not to be read back. */
void pt_term_append(pt_buf *out, const char *s, size_t len);
void pt_term_puts(pt_buf *out, const char *s);   /* s NULL: nothing */
/* True when pt_term_append would copy s unchanged. */
bool pt_term_is_clean(const char *s, size_t len);
/* printf into out where every %s and %c argument is cleaned as by
 * pt_term_append (a NULL %s prints "(null)"); the format itself is
 * trusted and written as it is.  Supports the C11 conversions (with '*'
 * widths and precisions) except %n. */
void pt_term_printf(pt_buf *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pt_term_vprintf(pt_buf *out, const char *fmt, va_list ap);

/* JSON: appends s with each byte that is not part of valid UTF-8
 * replaced by U+FFFD, so that the JSON is valid UTF-8 whatever the input. */
void pt_json_utf8(pt_buf *out, const char *s, size_t len);
struct cJSON;
/* A JSON string of s made valid UTF-8 as by pt_json_utf8, or JSON null
 * for NULL (the contract never omits a field).  NULL on out of memory. */
struct cJSON *pt_json_str(const char *s);
/* A JSON integer written with every digit ("9223372036854775807"), never
 * as a float: cJSON prints a number above 2^53 as 9.2233720368547758e+18,
 * which the schema's integer fields do not allow.  NULL on out of memory. */
struct cJSON *pt_json_int(int64_t v);
/* Adds `key`: the path as pt_json_str gives it, and `key`_bytes: null when
 * that string holds the path exactly, else the path's bytes in lower-case
 * hex, so that a path that is not UTF-8 can be read back byte for byte
 * (Python: bytes.fromhex(v)). */
void pt_json_add_path(struct cJSON *obj, const char *key, const char *path);
/* Appends s as a JSON string literal (valid UTF-8, controls as \u00XX),
 * or null for NULL: for writers that build JSON by hand. */
void pt_json_quote(pt_buf *out, const char *s);
/* Prints root (one line, or indented when pretty) with a trailing newline
 * into out, with DEL and the C1 controls escaped too; out->failed on out
 * of memory. */
void pt_json_finish(pt_buf *out, struct cJSON *root, bool pretty);
/* Prints root on one line into out (out->failed on out of memory) and
 * frees it: what a child process sends its parent. */
void pt_json_send(struct cJSON *root, pt_buf *out);
/* The string member `key` of object o, or NULL when it is missing or not a
 * string. */
const char *pt_json_get_str(const struct cJSON *o, const char *key);

/* HTML: appends s with & < > " ' as entities, broken UTF-8 and control
 * characters other than LF and TAB as U+FFFD; safe in element text and in
 * quoted attribute values. */
void pt_html_escape(pt_buf *out, const char *s);

/* Appends len bytes of s with every occurrence of each secret (at least 4
 * bytes; shorter ones and NULL are ignored) replaced by "[redacted]": a
 * server that echoes the Authorization header must not put the token on a
 * terminal or in a log.  Clean the result for its format afterwards. */
void pt_text_redact(pt_buf *out, const char *s, size_t len, const char *const *secrets,
                    size_t count);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_TEXT_H */
