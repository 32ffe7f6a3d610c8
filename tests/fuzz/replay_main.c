/*
 * replay_main.c - runs a libFuzzer target's LLVMFuzzerTestOneInput over
 * every file of the folders (or files) on its command line, so CTest
 * replays the seeds and committed crash inputs with the ordinary compiler.
 * Exit 0 when every input ran; a target's abort() fails the test.
 */
#include "pooltriage/pooltriage.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
/* Targets that need one-time set-up define it, as libFuzzer allows. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* The seeds are fixtures of at most a few MB. */
#define REPLAY_MAX_BYTES (64u * 1024u * 1024u)

typedef struct replay {
    size_t files;
    int failed;
} replay;

static bool run_file(void *ctx, const char *path, const char *name, uint64_t size)
{
    replay *r = ctx;
    (void)name;
    (void)size;
    pt_arena *a = pt_arena_new();
    uint8_t *data = NULL;
    size_t len = 0;
    pt_error err = {0};
    if (a == NULL || pt_file_read(a, path, REPLAY_MAX_BYTES, &data, &len, &err) != PT_OK) {
        fprintf(stderr, "replay: cannot read '%s': %s\n", path, err.message);
        r->failed = 1;
    } else {
        /* libFuzzer hands each input in its own buffer of exactly len bytes,
         * so a read past the end is caught by ASan here too. */
        uint8_t *copy = malloc(len ? len : 1);
        if (copy == NULL) {
            r->failed = 1;
        } else {
            for (size_t i = 0; i < len; i++)
                copy[i] = data[i];
            LLVMFuzzerTestOneInput(copy, len);
            free(copy);
            r->files++;
        }
    }
    pt_arena_free(a);
    return true;
}

int main(int argc, char **argv)
{
    replay r = {0, 0};
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        pt_error err = {0};
        if (pt_platform_is_dir(argv[i])) {
            if (pt_platform_walk_checked(argv[i], run_file, NULL, &r, &err) != PT_OK) {
                fprintf(stderr, "replay: cannot walk '%s': %s\n", argv[i], err.message);
                r.failed = 1;
            }
        } else if (pt_platform_is_file(argv[i])) {
            run_file(&r, argv[i], argv[i], 0);
        }
    }
    printf("replayed %zu inputs\n", r.files);
    if (r.files == 0) {
        fprintf(stderr, "replay: no input found\n");
        return 1;
    }
    return r.failed;
}
