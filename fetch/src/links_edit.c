/*
 * links_edit.c - `kb links --write`: records archived_url in the reviewed
 * KB source files (kb/issues, one .lua file per issue) with the smallest possible text edit,
 * found by a tiny Lua tokenizer (strings and comments skipped), then
 * re-checks the file against the KB schema before it replaces the original.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Length of a long bracket opener "[[" / "[==[" at p (level in *level), or 0. */
static size_t long_open(const char *p, int *level)
{
    if (p[0] != '[')
        return 0;
    size_t i = 1;
    while (p[i] == '=')
        i++;
    if (p[i] != '[')
        return 0;
    *level = (int)i - 1;
    return i + 1;
}

/* Skips a long string body after its opener; returns the end. */
static const char *long_close(const char *p, int level)
{
    for (; *p; p++) {
        if (*p != ']')
            continue;
        int i = 1;
        while (p[i] == '=')
            i++;
        if (p[i] == ']' && i - 1 == level)
            return p + i + 1;
    }
    return p;
}

/* Skips whitespace and comments. */
static const char *skip_space(const char *p)
{
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (p[0] != '-' || p[1] != '-')
            return p;
        int level;
        size_t n = long_open(p + 2, &level);
        if (n)
            p = long_close(p + 2 + n, level);
        else
            p += strcspn(p, "\n");
    }
}

/* Skips a quoted string starting at p; returns the end (past the quote). */
static const char *skip_quoted(const char *p)
{
    char q = *p++;
    while (*p && *p != q && *p != '\n')
        p += (*p == '\\' && p[1]) ? 2 : 1;
    return *p == q ? p + 1 : p;
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

typedef struct frame {
    const char *open;
    const char *arch_start, *arch_end;  /* the value of archived_url, if any */
    const char *last_end;               /* end of the last token inside */
    bool target;
} frame;

/* If p is `key = "value"` with key `name`, sets the value span. */
static bool key_value(const char *p, const char *name, const char **vs, const char **ve)
{
    size_t nl = strlen(name);
    if (strncmp(p, name, nl) != 0 || ident_char(p[nl]))
        return false;
    const char *q = skip_space(p + nl);
    if (*q != '=' || q[1] == '=')
        return false;
    q = skip_space(q + 1);
    *vs = q;
    if (*q == '"' || *q == '\'')
        *ve = skip_quoted(q);
    else if (strncmp(q, "nil", 3) == 0 && !ident_char(q[3]))
        *ve = q + 3;
    else
        return false;
    return true;
}

static bool is_url_literal(const char *vs, const char *ve, const char *url)
{
    size_t ul = strlen(url);
    return (*vs == '"' || *vs == '\'') && (size_t)(ve - vs) == ul + 2 && vs[ul + 1] == *vs &&
           strncmp(vs + 1, url, ul) == 0;
}

/* Finds the reference table holding `url = "<url>"`; fills *f. */
static bool find_ref(const char *text, const char *url, frame *out)
{
    frame st[64];
    int depth = 0;
    const char *p = skip_space(text);
    while (*p) {
        const char *vs, *ve;
        int level;
        size_t n;
        if (*p == '{' && depth < 64) {
            st[depth++] = (frame){p, NULL, NULL, p + 1, false};
            p++;
        } else if (*p == '}') {
            if (depth > 0 && st[depth - 1].target) {
                *out = st[depth - 1];
                return true;
            }
            depth -= depth > 0;
            p++;
        } else if (*p == '"' || *p == '\'') {
            p = skip_quoted(p);
        } else if ((n = long_open(p, &level)) != 0) {
            p = long_close(p + n, level);
        } else if (depth > 0 && key_value(p, "url", &vs, &ve) && (p == text || !ident_char(p[-1]))) {
            st[depth - 1].target |= is_url_literal(vs, ve, url);
            p = ve;
        } else if (depth > 0 && key_value(p, "archived_url", &vs, &ve) &&
                   (p == text || !ident_char(p[-1]))) {
            st[depth - 1].arch_start = vs;
            st[depth - 1].arch_end = ve;
            p = ve;
        } else if (ident_char(*p)) {
            while (ident_char(*p))
                p++;
        } else {
            p++;
        }
        if (depth > 0)
            st[depth - 1].last_end = p;
        p = skip_space(p);
    }
    return false;
}

static bool safe_url(const char *s)
{
    if (strncmp(s, "https://", 8) != 0)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || *s == '"' || *s == '\\' || *s == 0x7f)
            return false;
    return true;
}

pt_code pt_links_edit_source(pt_arena *arena, const char *text, const char *url,
                             const char *archived_url, char **out, pt_error *err)
{
    frame f;
    if (!safe_url(archived_url))
        return pt_error_set(err, PT_EFORMAT, archived_url, "archived URL is not a plain "
                            "https:// URL; not recorded");
    if (!find_ref(text, url, &f))
        return pt_error_set(err, PT_EFORMAT, url, "cannot find 'url = \"%.200s\"' written "
                            "literally in the source; add its archived_url by hand", url);
    const char *a, *b;
    const char *sep = "";
    if (f.arch_start) {
        a = f.arch_start;
        b = f.arch_end;
    } else {
        a = b = f.last_end; /* right after the table's last token, before any comment */
        char prev = a[-1];
        sep = (prev == ',' || prev == ';' || prev == '{') ? " archived_url = " : ", archived_url = ";
    }
    *out = pt_arena_printf(arena, "%.*s%s\"%s\"%s", (int)(a - text), text, sep, archived_url, b);
    return *out ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
}

/* Writes `text` over `path` via a temp file that must pass the KB check. */
static pt_code replace_file(pt_arena *arena, const char *path, const char *text, pt_error *err)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.links-%ld.tmp", path, (long)pt_platform_pid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return pt_error_set(err, PT_EIO, tmp, "cannot write: %s", strerror(errno));
    size_t len = strlen(text);
    bool ok = fwrite(text, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    pt_code rc = ok ? pt_kb_check_file(arena, tmp, path, err)
                    : pt_error_set(err, PT_EIO, tmp, "cannot write: %s", strerror(errno));
    if (rc == PT_OK && pt_platform_rename(tmp, path) != 0)
        rc = pt_error_set(err, PT_EIO, path, "cannot replace: %s", strerror(errno));
    if (rc != PT_OK)
        pt_platform_remove(tmp);
    return rc;
}

pt_code pt_links_write(pt_arena *arena, const pt_link *links, size_t count, size_t *written,
                       pt_error *err)
{
    *written = 0;
    for (size_t i = 0; i < count; i++) {
        if (links[i].archive != PT_ARCHIVE_FOUND)
            continue;
        bool seen = false; /* each file once, with all of its edits */
        for (size_t j = 0; j < i && !seen; j++)
            seen = links[j].archive == PT_ARCHIVE_FOUND && strcmp(links[j].file, links[i].file) == 0;
        if (seen)
            continue;
        uint8_t *raw;
        size_t len;
        pt_code rc = pt_file_read(arena, links[i].file, PT_MAX_RULE_BYTES, &raw, &len, err);
        char *text = (char *)raw;
        for (size_t j = i; rc == PT_OK && j < count; j++)
            if (links[j].archive == PT_ARCHIVE_FOUND && strcmp(links[j].file, links[i].file) == 0)
                rc = pt_links_edit_source(arena, text, links[j].url, links[j].archived_url,
                                          &text, err);
        if (rc == PT_OK)
            rc = replace_file(arena, links[i].file, text, err);
        if (rc != PT_OK)
            return rc;
        (*written)++;
    }
    return PT_OK;
}
