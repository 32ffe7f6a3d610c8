/*
 * cli_common.c - exit codes, error printing, the default KB location and
 * checked output, shared by every subcommand.
 */
#include "cli.h"

#include <cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PT_INSTALL_DATADIR
#define PT_INSTALL_DATADIR "/usr/local/share/pooltriage"
#endif
#ifndef PT_INSTALL_LIBEXECDIR
#define PT_INSTALL_LIBEXECDIR "/usr/local/libexec/pooltriage"
#endif
/* Where the data and pooltriage-net sit relative to this binary once
 * installed (CMakeLists.txt computes them from the GNU install dirs). */
#ifndef PT_EXE_TO_DATADIR
#define PT_EXE_TO_DATADIR "../share/pooltriage"
#endif
#ifndef PT_EXE_TO_LIBEXECDIR
#define PT_EXE_TO_LIBEXECDIR "../libexec/pooltriage"
#endif

int pt_cli_exit_code(pt_code code)
{
    switch (code) {
    case PT_OK: return PT_EXIT_OK;
    case PT_EUSAGE: return PT_EXIT_USAGE;
    case PT_EIO:
    case PT_EFORMAT:
    case PT_ELIMIT:
    case PT_ENOMEM: return PT_EXIT_INPUT;
    case PT_EKB:
    case PT_ERULE: return PT_EXIT_KB;
    case PT_ENET: return PT_EXIT_NET;
    }
    return PT_EXIT_INPUT;
}

int pt_cli_fail(const pt_error *err)
{
    if (err->where[0])
        fprintf(stderr, "pooltriage: %s: %s\n", err->where, err->message);
    else
        fprintf(stderr, "pooltriage: %s\n", err->message);
    return pt_cli_exit_code(err->code);
}

int pt_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "pooltriage %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; run 'pooltriage %s --help'\n", cmd);
    return PT_EXIT_USAGE;
}

static bool readable(const char *path) { return access(path, R_OK) == 0; }

/* The folder of the running binary, from /proc/self/exe; false if unknown. */
static bool exe_dir(char *out, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return false;
    *slash = '\0';
    snprintf(out, len, "%s", exe);
    return true;
}

const char *pt_cli_default_kb(void)
{
    static char path[PATH_MAX + 64];
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0]) {
        snprintf(path, sizeof path, "%s/pooltriage/kb.sqlite", xdg);
        if (readable(path))
            return path;
    } else if (home && home[0]) {
        snprintf(path, sizeof path, "%s/.local/share/pooltriage/kb.sqlite", home);
        if (readable(path))
            return path;
    }
    char dir[PATH_MAX];
    if (exe_dir(dir, sizeof dir)) {
        /* installed: <prefix>/bin/pooltriage and
         * <prefix>/libexec/pooltriage/pooltriage-net -> <prefix>/share/pooltriage;
         * the build tree: build/bin -> build/share/pooltriage */
        static const char *const rel[] = {PT_EXE_TO_DATADIR, "../share/pooltriage"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            if (rel[i][0] == '/')
                snprintf(path, sizeof path, "%s/kb.sqlite", rel[i]);
            else
                snprintf(path, sizeof path, "%s/%s/kb.sqlite", dir, rel[i]);
            char clean[PATH_MAX];
            if (readable(path) && realpath(path, clean) != NULL)
                snprintf(path, sizeof path, "%s", clean); /* without the "../" */
            if (readable(path))
                return path;
        }
    }
    snprintf(path, sizeof path, "%s/kb.sqlite", PT_INSTALL_DATADIR);
    return path;
}

int pt_cli_exec_net(int argc, char **argv)
{
    static char path[PATH_MAX + 64];
    char dir[PATH_MAX];
    bool found = false;
    if (exe_dir(dir, sizeof dir)) {
        /* the build tree keeps both binaries side by side */
        snprintf(path, sizeof path, "%s/pooltriage-net", dir);
        found = access(path, X_OK) == 0;
        if (!found) {
            if (PT_EXE_TO_LIBEXECDIR[0] == '/')
                snprintf(path, sizeof path, "%s/pooltriage-net", PT_EXE_TO_LIBEXECDIR);
            else
                snprintf(path, sizeof path, "%s/%s/pooltriage-net", dir, PT_EXE_TO_LIBEXECDIR);
            found = access(path, X_OK) == 0;
        }
    }
    if (!found)
        snprintf(path, sizeof path, "%s/pooltriage-net", PT_INSTALL_LIBEXECDIR);
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (args == NULL) {
        fprintf(stderr, "pooltriage: out of memory\n");
        return PT_EXIT_NET;
    }
    args[0] = "pooltriage";
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    fflush(NULL);
    execv(path, args);
    fprintf(stderr, "pooltriage: cannot run '%s': %s; the network commands live in that "
            "binary, installed beside pooltriage\n", path, strerror(errno));
    free(args);
    return PT_EXIT_NET;
}

static const char *output_path;   /* -o FILE, or NULL for stdout */

void pt_cli_set_output(const char *path) { output_path = path; }

/* Writes buf to FILE through FILE.tmp-XXXXXX in the same folder and a
 * rename, so a reader never sees half a report and a failed run leaves
 * the old file as it was. */
static int write_file_atomic(const char *path, const pt_buf *buf)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (tmp == NULL) {
        fprintf(stderr, "pooltriage: out of memory while writing the report\n");
        return PT_EXIT_INPUT;
    }
    snprintf(tmp, len + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "pooltriage: '%s': cannot create the report: %s\n", path,
                strerror(errno));
        free(tmp);
        return PT_EXIT_INPUT;
    }
    bool ok = true;
    for (size_t off = 0; ok && off < buf->len;) {
        ssize_t n = write(fd, buf->data + off, buf->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        off += ok ? (size_t)n : 0;
    }
    int saved = errno;
    /* mkstemp makes the file 0600; a report is as readable as any other
     * file the user creates. */
    mode_t mask = umask(0);
    umask(mask);
    if (ok && fchmod(fd, 0666 & ~mask) != 0)
        saved = errno, ok = false;
    if (ok && fsync(fd) != 0)
        saved = errno, ok = false;
    if (close(fd) != 0 && ok)
        saved = errno, ok = false;
    if (ok && rename(tmp, path) != 0)
        saved = errno, ok = false;
    if (!ok) {
        fprintf(stderr, "pooltriage: '%s': cannot write the report: %s\n", path,
                strerror(saved));
        unlink(tmp);
    }
    free(tmp);
    return ok ? PT_EXIT_OK : PT_EXIT_INPUT;
}

int pt_cli_write(const pt_buf *buf)
{
    if (buf->failed) {
        fprintf(stderr, "pooltriage: out of memory while writing the report\n");
        return PT_EXIT_INPUT;
    }
    if (output_path && strcmp(output_path, "-") != 0)
        return write_file_atomic(output_path, buf);
    if ((buf->len && fwrite(buf->data, 1, buf->len, stdout) != buf->len) ||
        fflush(stdout) != 0) {
        fprintf(stderr, "pooltriage: cannot write to standard output: %s\n", strerror(errno));
        return PT_EXIT_INPUT;
    }
    return PT_EXIT_OK;
}

void pt_cli_progress(void *ctx, size_t done, size_t total)
{
    if (done % 64 == 0 || done + 1 >= total)
        fprintf(stderr, "\r%s: %zu/%zu files", (const char *)ctx, done, total);
}

bool pt_cli_progress_wanted(void)
{
    const char *term = getenv("TERM");
    return isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
}

cJSON *pt_cli_json_str(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}
