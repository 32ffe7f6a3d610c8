/* fuzz_kb_source.c - libFuzzer target for the KB source checker
 * (kb_build.c, lua_sandbox.c): the input is written as a KB file and
 * checked as an issue file and as a tag-fact file, first alone, then
 * stored into an empty KB schema (rolled back after each input).  A file
 * that passes the check alone must store too.  Seeds: kb/issues, kb/tags,
 * tests/fixtures/kb. */
#include "pooltriage/pooltriage.h"
#include "judge_int.h"
#include "pooltriage/platform.h"
#include "kb_schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char path[64];
static sqlite3 *db;

static void cleanup(void)
{
    sqlite3_close(db);
    pt_platform_remove(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "%s/fuzz_kb_source_XXXXXX",
             pt_platform_is_dir("/dev/shm") ? "/dev/shm" : "/tmp");
    int fd = pt_platform_temp_file(path);
    if (fd < 0)
        abort();
    pt_platform_close(fd);
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db, pt_kb_schema_sql, NULL, NULL, NULL) != SQLITE_OK)
        abort();
    atexit(cleanup);
    return 0;
}

static void check(const char *shown)
{
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return;
    pt_error err = {0};
    pt_code alone = pt_kb_check_file(arena, path, shown, &err);
    if (alone != PT_OK && alone != PT_EKB)
        abort();
    if (alone == PT_EKB && err.message[0] == '\0')
        abort(); /* a rejected file is always explained */
    if (sqlite3_exec(db, "SAVEPOINT f", NULL, NULL, NULL) != SQLITE_OK)
        abort();
    pt_error err2 = {0};
    pt_code stored = pt_kb_check_file_into(arena, path, shown, db, &err2);
    if (alone == PT_OK && stored != PT_OK)
        abort();
    if (sqlite3_exec(db, "ROLLBACK TO f; RELEASE f", NULL, NULL, NULL) != SQLITE_OK)
        abort();
    pt_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        abort();
    if (len && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
    check("kb/issues/x.lua");
    check("kb/tags/x.lua");
    return 0;
}
