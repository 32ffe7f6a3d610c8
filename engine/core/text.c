/*
 * text.c - core: the one place for untrusted text (file names, version
 * strings, capture cells, KB titles, rule messages, server replies).  Each
 * output format has one cleaner here (JSON's are in json.c), and every
 * writer uses it: terminal text escapes control characters, HTML is
 * escaped; CSV (report_csv.c) builds on the terminal cleaner.
 */
#include "pooltriage/pooltriage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when the byte
 * does not start one (overlong forms, surrogates and code points past
 * U+10FFFF are not valid). */
size_t pt_utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
             : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n == 0 || (size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
        (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
        return 0;
    return n;
}

static uint32_t utf8_code(const unsigned char *p, size_t n)
{
    static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    uint32_t c = p[0] & lead_mask[n];
    for (size_t i = 1; i < n; i++)
        c = (c << 6) | (p[i] & 0x3f);
    return c;
}

/* Code points a terminal acts on or that reorder what is shown: C0, DEL,
 * C1, the line and paragraph separators and the bidi embeddings,
 * overrides and isolates ("Trojan Source"). */
static bool is_control(uint32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
           c == 0x200f || c == 0x061c;
}

bool pt_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        size_t n = pt_utf8_seq(p, end);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

/* ---- terminal ---- */

void pt_term_append(pt_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        const unsigned char *run = p;
        size_t n = 0;
        while (p < end && (n = pt_utf8_seq(p, end)) != 0 && !is_control(utf8_code(p, n)))
            p += n;
        pt_buf_append(out, (const char *)run, (size_t)(p - run));
        if (p >= end)
            break;
        if (n == 0) {
            pt_buf_printf(out, "\\x%02x", *p++);       /* not UTF-8 */
        } else {
            uint32_t c = utf8_code(p, n);
            if (c < 0x80)
                pt_buf_printf(out, "\\x%02x", (unsigned)c);
            else
                pt_buf_printf(out, "\\u%04x", (unsigned)c);
            p += n;
        }
    }
}

void pt_term_puts(pt_buf *out, const char *s)
{
    if (s)
        pt_term_append(out, s, strlen(s));
}

bool pt_term_is_clean(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        size_t n = pt_utf8_seq(p, end);
        if (n == 0 || is_control(utf8_code(p, n)))
            return false;
        p += n;
    }
    return true;
}

/* One conversion of a printf format: "%-12.3llu" and the like. */
typedef struct conv_spec {
    char text[48];   /* the spec without its length modifier, '*' filled in */
    char length[3];  /* "", "h", "hh", "l", "ll", "z", "j", "t", "L" */
    char conv;
    size_t used;     /* bytes of fmt it took */
} conv_spec;

/* Reads the spec at f ('%' first); a '*' width or precision takes its int
 * from the arguments now, as printf would, and is written into the text. */
static bool read_spec(const char *f, conv_spec *c, va_list *ap)
{
    size_t i = 1, o = 1;
    memset(c, 0, sizeof *c);
    c->text[0] = '%';
    while (f[i] && strchr("-+ #0123456789.*", f[i]) && o + 16 < sizeof c->text) {
        if (f[i] == '*') {
            int n = snprintf(c->text + o, sizeof c->text - o, "%d", va_arg(*ap, int));
            o += n > 0 ? (size_t)n : 0;
            i++;
        } else {
            c->text[o++] = f[i++];
        }
    }
    size_t l = 0;
    while (f[i] && strchr("hlzjtL", f[i]) && l < 2)
        c->length[l++] = f[i++];
    if (f[i] == '\0' || !strchr("diouxXeEfFgGaAcsp%", f[i]))
        return false;
    c->conv = c->text[o++] = f[i++];
    c->text[o] = '\0';
    c->used = i;
    return true;
}

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
/* Appends one argument, read with the type its spec names. */
static void put_integer(pt_buf *out, const conv_spec *c, va_list *ap)
{
    char spec[64];
    bool is_signed = c->conv == 'd' || c->conv == 'i';
    const char *mod = strcmp(c->length, "z") == 0 || strcmp(c->length, "t") == 0 ? "z"
                      : c->length;
    snprintf(spec, sizeof spec, "%.*s%s%c", (int)strlen(c->text) - 1, c->text,
             strcmp(mod, "j") == 0 ? "ll" : mod, c->conv);
    if (strcmp(c->length, "ll") == 0 || strcmp(c->length, "j") == 0) {
        if (is_signed)
            pt_buf_printf(out, spec, va_arg(*ap, long long));
        else
            pt_buf_printf(out, spec, va_arg(*ap, unsigned long long));
    } else if (strcmp(c->length, "l") == 0) {
        if (is_signed)
            pt_buf_printf(out, spec, va_arg(*ap, long));
        else
            pt_buf_printf(out, spec, va_arg(*ap, unsigned long));
    } else if (mod[0] == 'z') {
        pt_buf_printf(out, spec, va_arg(*ap, size_t));
    } else if (is_signed) {
        pt_buf_printf(out, spec, va_arg(*ap, int));
    } else {
        pt_buf_printf(out, spec, va_arg(*ap, unsigned));
    }
}

static void put_one(pt_buf *out, const conv_spec *c, va_list *ap)
{
    switch (c->conv) {
    case '%':
        pt_buf_puts(out, "%");
        break;
    case 's':
    case 'c': {
        char ch[2] = {0, 0};
        const char *s = c->conv == 'c' ? (ch[0] = (char)va_arg(*ap, int), ch)
                                       : va_arg(*ap, const char *);
        if (s == NULL)
            s = "(null)";
        /* a precision counts bytes of the argument, as printf does: only
         * those are read and escaped, and the escaped text is not cut */
        const char *dot = strchr(c->text, '.');
        bool prec = c->conv == 's' && dot && dot[1] != '-';
        size_t len = prec ? strnlen(s, (size_t)strtoul(dot + 1, NULL, 10)) : strlen(s);
        pt_buf clean = {0};
        pt_term_append(&clean, s, len);
        char spec[64];
        snprintf(spec, sizeof spec, "%.*ss", (int)((dot ? dot : c->text + strlen(c->text) - 1) - c->text),
                 c->text);
        pt_buf_printf(out, spec, clean.data ? clean.data : "");
        out->failed |= clean.failed;
        pt_buf_free(&clean);
        break;
    }
    case 'p':
        pt_buf_printf(out, c->text, va_arg(*ap, void *));
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        if (strcmp(c->length, "L") == 0)
            pt_buf_printf(out, c->text, (double)va_arg(*ap, long double));
        else
            pt_buf_printf(out, c->text, va_arg(*ap, double));
        break;
    default:
        put_integer(out, c, ap);
        break;
    }
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

void pt_term_vprintf(pt_buf *out, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    const char *p = fmt;
    while (*p) {
        size_t n = strcspn(p, "%");
        pt_buf_append(out, p, n);
        p += n;
        if (*p == '\0')
            break;
        conv_spec c;
        if (!read_spec(p, &c, &aq)) {   /* not a conversion we know: literal */
            pt_buf_append(out, p, 1);
            p++;
            continue;
        }
        put_one(out, &c, &aq);
        p += c.used;
    }
    va_end(aq);
}

void pt_term_printf(pt_buf *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pt_term_vprintf(out, fmt, ap);
    va_end(ap);
}

/* ---- HTML ---- */

void pt_html_escape(pt_buf *out, const char *s)
{
    if (s == NULL)
        return;
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        size_t n = pt_utf8_seq(p, end);
        if (n == 0) {
            pt_buf_puts(out, "\xef\xbf\xbd");
            p++;
            continue;
        }
        uint32_t c = utf8_code(p, n);
        switch (c) {
        case '&': pt_buf_puts(out, "&amp;"); break;
        case '<': pt_buf_puts(out, "&lt;"); break;
        case '>': pt_buf_puts(out, "&gt;"); break;
        case '"': pt_buf_puts(out, "&quot;"); break;
        case '\'': pt_buf_puts(out, "&#39;"); break;
        default:
            if (is_control(c) && c != '\n' && c != '\t')
                pt_buf_printf(out, "&#xfffd;");
            else
                pt_buf_append(out, (const char *)p, n);
        }
        p += n;
    }
}

/* ---- secrets ---- */

void pt_text_redact(pt_buf *out, const char *s, size_t len, const char *const *secrets,
                    size_t count)
{
    size_t i = 0;
    while (i < len) {
        size_t hit = 0;
        for (size_t k = 0; k < count && hit == 0; k++) {
            size_t n = secrets[k] ? strlen(secrets[k]) : 0;
            if (n >= 4 && n <= len - i && memcmp(s + i, secrets[k], n) == 0)
                hit = n;
        }
        if (hit) {
            pt_buf_puts(out, "[redacted]");
            i += hit;
        } else {
            pt_buf_append(out, s + i, 1);
            i++;
        }
    }
}
