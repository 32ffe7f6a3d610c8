/* test_support.c - helpers shared by the cmocka unit tests. */
#include "test_support.h"

#include <stdio.h>

const char *fixture(const char *rel)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", PT_FIXTURES, rel);
    return path;
}

char *fixture_text(pt_arena *arena, const char *rel, size_t *len)
{
    uint8_t *data = NULL;
    size_t n = 0;
    pt_error err = {0};
    pt_code rc = pt_file_read(arena, fixture(rel), 64u << 20, &data, &n, &err);
    if (rc != PT_OK)
        fail_msg("cannot read fixture %s: %s", rel, err.message);
    if (len)
        *len = n;
    return (char *)data;
}
