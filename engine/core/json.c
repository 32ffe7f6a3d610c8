/*
 * json.c - core: the JSON helpers every writer shares (report, judge,
 * CLI).  Strings are made valid UTF-8 here, so no writer can emit JSON
 * that a strict parser rejects, and paths keep their bytes in a _bytes twin.
 */
#include "pooltriage/pooltriage.h"
#include "pt_json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

void pt_json_utf8(pt_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        const unsigned char *run = p;
        size_t n = 0;
        while (p < end && (n = pt_utf8_seq(p, end)) != 0)
            p += n;
        pt_buf_append(out, (const char *)run, (size_t)(p - run));
        if (p < end) {
            pt_buf_puts(out, "\xef\xbf\xbd");   /* U+FFFD for each stray byte */
            p++;
        }
    }
}

static bool hooked;

static void json_hooks(void)
{
    if (!hooked) {
        cJSON_Hooks hooks = {pt_malloc, pt_free};
        cJSON_InitHooks(&hooks);
        hooked = true;
    }
}

cJSON *pt_json_int(int64_t v)
{
    char digits[24];
    json_hooks();
    snprintf(digits, sizeof digits, "%lld", (long long)v);
    return cJSON_CreateRaw(digits);
}

cJSON *pt_json_str(const char *s)
{
    json_hooks();
    if (s == NULL)
        return cJSON_CreateNull();
    size_t len = strlen(s);
    if (pt_utf8_valid(s, len))
        return cJSON_CreateString(s);
    pt_buf b = {0};
    pt_json_utf8(&b, s, len);
    cJSON *o = b.failed ? NULL : cJSON_CreateString(b.data ? b.data : "");
    pt_buf_free(&b);
    return o;
}

void pt_json_add_path(cJSON *obj, const char *key, const char *path)
{
    char bytes_key[64];
    snprintf(bytes_key, sizeof bytes_key, "%s_bytes", key);
    cJSON_AddItemToObject(obj, key, pt_json_str(path));
    size_t len = path ? strlen(path) : 0;
    if (path == NULL || pt_utf8_valid(path, len)) {
        cJSON_AddNullToObject(obj, bytes_key);
        return;
    }
    pt_buf hex = {0};
    for (size_t i = 0; i < len; i++)
        pt_buf_printf(&hex, "%02x", (unsigned char)path[i]);
    cJSON_AddItemToObject(obj, bytes_key, hex.failed ? cJSON_CreateNull()
                                                     : cJSON_CreateString(hex.data));
    pt_buf_free(&hex);
}

void pt_json_quote(pt_buf *out, const char *s)
{
    if (s == NULL) {
        pt_buf_puts(out, "null");
        return;
    }
    pt_buf clean = {0};
    const char *p = s;
    if (!pt_utf8_valid(s, strlen(s))) {
        pt_json_utf8(&clean, s, strlen(s));
        p = clean.data ? clean.data : "";
    }
    pt_buf_puts(out, "\"");
    for (const unsigned char *c = (const unsigned char *)p; *c; c++) {
        if (*c == '"' || *c == '\\')
            pt_buf_printf(out, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            pt_buf_printf(out, "\\u%04x", *c);
        else
            pt_buf_append(out, (const char *)c, 1);
    }
    pt_buf_puts(out, "\"");
    out->failed |= clean.failed;
    pt_buf_free(&clean);
}

void pt_json_finish(pt_buf *out, cJSON *root, bool pretty)
{
    char *text = root ? (pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root)) : NULL;
    if (text == NULL) {
        out->failed = true;
        return;
    }
    /* cJSON writes DEL and the C1 controls raw; escape them so that even a
     * JSON file shown with cat cannot drive a terminal. */
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        const unsigned char *run = p;
        while (*p && *p != 0x7f && !(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            p++;
        pt_buf_append(out, (const char *)run, (size_t)(p - run));
        if (*p == 0x7f) {
            pt_buf_puts(out, "\\u007f");
            p++;
        } else if (*p) {
            pt_buf_printf(out, "\\u%04x", (unsigned)p[1]);
            p += 2;
        }
    }
    pt_buf_puts(out, "\n");
    cJSON_free(text);
}

void pt_json_send(cJSON *root, pt_buf *out)
{
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    if (text)
        pt_buf_puts(out, text);
    else
        out->failed = true;
    cJSON_free(text);
    cJSON_Delete(root);
}

const char *pt_json_get_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}
