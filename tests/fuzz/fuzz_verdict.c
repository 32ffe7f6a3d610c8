/* fuzz_verdict.c - libFuzzer target for the fleet stage's verdict reader
 * (fleet.c): the input is added as one document (pt_fleet_add_json), then
 * read again as a stream (pt_fleet_add_fd: one object, several, JSON Lines)
 * and every fleet report is rendered.  Seeds: tests/fixtures/fleet. */
#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(pt_fleet *fleet)
{
    pt_fleet_stats st;
    pt_fleet_stats_get(fleet, &st);
    size_t n = pt_fleet_count(fleet);
    for (size_t i = 0; i < n; i++) {
        const pt_fleet_problem *p = pt_fleet_problem_at(fleet, i);
        if (p == NULL || strlen(p->fingerprint) != 64 || p->report_count == 0 ||
            p->host_count == 0 || p->level == PT_LEVEL_CLEAN ||
            p->version_count > PT_FLEET_MAX_VERSIONS || p->host_name_count > p->host_count)
            abort();
        pt_buf b = {0};
        pt_fleet_problem_markdown(p, &b);
        pt_fleet_problem_json(p, &b);
        pt_buf_free(&b);
    }
    if (pt_fleet_problem_at(fleet, n) != NULL)
        abort();
    pt_report_opts opts = {true, true};
    pt_buf b = {0};
    pt_fleet_report_text(fleet, &opts, &b);
    pt_fleet_report_markdown(fleet, &opts, &b);
    pt_fleet_report_json(fleet, &opts, &b);
    pt_fleet_report_csv(fleet, &opts, &b);
    pt_buf_free(&b);
}

/* The input behind a file descriptor, so the stream splitter reads it: a
 * temporary file, removed at once (in memory under /dev/shm). */
static int as_fd(const uint8_t *data, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "%s/fuzz_verdict_XXXXXX",
             pt_platform_is_dir("/dev/shm") ? "/dev/shm" : pt_platform_temp_root());
    int fd = pt_platform_temp_file(path);
    if (fd < 0)
        return -1;
    pt_platform_remove(path);
    if (!pt_platform_write_all(fd, data, len) || pt_platform_seek(fd, 0) != 0) {
        pt_platform_close(fd);
        return -1;
    }
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    pt_fleet *fleet = pt_fleet_open(NULL, NULL);
    if (fleet == NULL)
        return 0;
    pt_error err = {0};
    pt_code rc = pt_fleet_add_json(fleet, (const char *)data, len, "fuzz", 1, &err);
    if (rc != PT_OK && rc != PT_EFORMAT && rc != PT_ELIMIT)
        abort();
    int fd = as_fd(data, len);
    if (fd >= 0) {
        rc = pt_fleet_add_fd(fleet, fd, "fuzz.jsonl", &err);
        pt_platform_close(fd);
        if (rc != PT_OK && rc != PT_ELIMIT) {
            fprintf(stderr, "fuzz_verdict: stream read: %d %s: %s\n", (int)rc, err.where,
                    err.message);
            abort();
        }
    }
    check(fleet);
    pt_fleet_close(fleet);
    return 0;
}
