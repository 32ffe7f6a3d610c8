/*
 * memchr_floor.c - the benchmark floor: read every file named on stdin (one
 * path a line) into one reused 256 KiB buffer and run memchr over it for a
 * byte (0xF7 unless BYTE is given: pass the first byte of the tag), counting
 * every occurrence, with N threads.  A scanner can hardly beat this.
 * Usage: find DIR -type f | memchr_floor [THREADS [BYTE]]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF (256 * 1024)

static char **paths;
static size_t count;
static atomic_size_t next;
static atomic_ullong found, bytes;
static int floor_byte = 0xF7;

static void *work(void *arg)
{
    (void)arg;
    char *buf = malloc(BUF);
    if (buf == NULL)
        return NULL;
    unsigned long long local = 0;
    for (size_t i; (i = atomic_fetch_add(&next, 1)) < count;) {
        int fd = open(paths[i], O_RDONLY);
        if (fd < 0)
            continue;
        ssize_t n;
        while ((n = read(fd, buf, BUF)) > 0) {
            atomic_fetch_add(&bytes, (unsigned long long)n);
            /* every occurrence of one byte, as a 1-tag scan must see them */
            for (const char *p = buf, *end = buf + n;
                 (p = memchr(p, floor_byte, (size_t)(end - p))) != NULL; p++)
                local++;
        }
        close(fd);
    }
    atomic_fetch_add(&found, local);
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 64)
        threads = 1;
    if (argc > 2)
        floor_byte = (unsigned char)argv[2][0];
    size_t cap = 1024;
    paths = malloc(cap * sizeof *paths);
    char *line = NULL;
    size_t len = 0;
    ssize_t n;
    while (paths && (n = getline(&line, &len, stdin)) > 0) {
        line[strcspn(line, "\n")] = '\0';
        if (count == cap && (paths = realloc(paths, (cap *= 2) * sizeof *paths)) == NULL)
            break;
        paths[count++] = strdup(line);
    }
    free(line);
    if (paths == NULL)
        return 2;
    pthread_t tid[64];
    for (int t = 1; t < threads; t++)
        pthread_create(&tid[t], NULL, work, NULL);
    work(NULL);
    for (int t = 1; t < threads; t++)
        pthread_join(tid[t], NULL);
    printf("%llu bytes, %llu occurrences\n", (unsigned long long)bytes, (unsigned long long)found);
    return 0;
}
