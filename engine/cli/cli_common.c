/*
 * cli_common.c - exit codes, error printing, the default KB location and
 * checked output, shared by every subcommand.
 */
#include "cli.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* One line on stderr; every %s argument is cleaned for the terminal. */
static void vwarn(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
    pt_buf b = {0};
    pt_buf_puts(&b, prefix);
    pt_term_vprintf(&b, fmt, ap);
    pt_buf_puts(&b, suffix);
    if (!b.failed)
        fputs(b.data, stderr);
    else
        fputs("pooltriage: out of memory\n", stderr);
    pt_buf_free(&b);
}

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
        pt_cli_error("%s: %s", err->where, err->message);
    else
        pt_cli_error("%s", err->message);
    return pt_cli_exit_code(err->code);
}

int pt_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    char prefix[64], suffix[96];
    snprintf(prefix, sizeof prefix, "pooltriage %s: ", cmd);
    snprintf(suffix, sizeof suffix, "; run 'pooltriage %s --help'\n", cmd);
    va_start(ap, fmt);
    vwarn(prefix, fmt, ap, suffix);
    va_end(ap);
    return PT_EXIT_USAGE;
}

static bool readable(const char *path) { return pt_platform_can_read(path); }

/* The folder of the running binary; false if unknown. */
static bool exe_dir(char *out, size_t len)
{
    char *dir = pt_platform_exe_dir();
    if (dir == NULL)
        return false;
    snprintf(out, len, "%s", dir);
    pt_free(dir);
    return true;
}

#define join_into pt_path_join_buf

const char *pt_cli_default_kb(void)
{
    static char path[PATH_MAX + 64];
    char *data = pt_platform_user_dir(PT_DIR_DATA);
    bool found = data && join_into(path, sizeof path, data, "kb.sqlite") && readable(path);
    pt_free(data);
    if (found)
        return path;
    char dir[PATH_MAX];
    if (exe_dir(dir, sizeof dir)) {
        /* a Windows install (the zip) keeps the KB next to the exe */
        if (join_into(path, sizeof path, dir, "kb.sqlite") && readable(path))
            return path;
        /* installed: <prefix>/bin/pooltriage and
         * <prefix>/libexec/pooltriage/pooltriage-net -> <prefix>/share/pooltriage;
         * the build tree: build/bin -> build/share/pooltriage */
        static const char *const rel[] = {PT_EXE_TO_DATADIR, "../share/pooltriage"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char base[PATH_MAX + 64];
            bool ok = rel[i][0] == '/'
                          ? join_into(path, sizeof path, rel[i], "kb.sqlite")
                          : join_into(base, sizeof base, dir, rel[i]) &&
                                join_into(path, sizeof path, base, "kb.sqlite");
            char *clean = ok && readable(path) ? pt_platform_realpath(path) : NULL;
            if (clean && strlen(clean) < sizeof path)
                memcpy(path, clean, strlen(clean) + 1); /* without the "../" */
            pt_free(clean);
            if (ok && readable(path))
                return path;
        }
    }
    join_into(path, sizeof path, PT_INSTALL_DATADIR, "kb.sqlite");
    return path;
}

#ifdef _WIN32
#define NET_EXE "pooltriage-net.exe"
#else
#define NET_EXE "pooltriage-net"
#endif

int pt_cli_exec_net(int argc, char **argv)
{
    static char path[PATH_MAX + 64];
    char dir[PATH_MAX];
    bool found = false;
    if (exe_dir(dir, sizeof dir)) {
        /* the build tree and the Windows zip keep both binaries side by side */
        found = join_into(path, sizeof path, dir, NET_EXE) && pt_platform_can_exec(path);
        if (!found) {
            char base[PATH_MAX + 64];
            found = (PT_EXE_TO_LIBEXECDIR[0] == '/'
                         ? join_into(path, sizeof path, PT_EXE_TO_LIBEXECDIR, NET_EXE)
                         : join_into(base, sizeof base, dir, PT_EXE_TO_LIBEXECDIR) &&
                               join_into(path, sizeof path, base, NET_EXE)) &&
                    pt_platform_can_exec(path);
        }
    }
    if (!found)
        join_into(path, sizeof path, PT_INSTALL_LIBEXECDIR, NET_EXE);
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (args == NULL) {
        fprintf(stderr, "pooltriage: out of memory\n");
        return PT_EXIT_NET;
    }
    args[0] = "pooltriage";
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    pt_platform_exec(path, args);
    pt_cli_error("cannot run '%s': %s; the network commands live in that "
            "binary, installed beside pooltriage", path, strerror(errno));
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
    int fd = pt_platform_temp_file(tmp);
    if (fd < 0) {
        pt_cli_error("'%s': cannot create the report: %s", path,
                strerror(errno));
        free(tmp);
        return PT_EXIT_INPUT;
    }
    bool ok = true;
    if (buf->len)
        ok = pt_platform_write_all(fd, buf->data, buf->len);
    int saved = errno;
    /* mkstemp makes the file 0600; a report is as readable as any other
     * file the user creates. */
    if (ok && pt_platform_chmod_default(fd) != 0)
        saved = errno, ok = false;
    if (ok && pt_platform_sync(fd) != 0)
        saved = errno, ok = false;
    if (pt_platform_close(fd) != 0 && ok)
        saved = errno, ok = false;
    if (ok && pt_platform_rename(tmp, path) != 0)
        saved = errno, ok = false;
    if (!ok) {
        pt_cli_error("'%s': cannot write the report: %s", path,
                strerror(saved));
        pt_platform_remove(tmp);
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
        pt_cli_error("cannot write to standard output: %s", strerror(errno));
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
    return pt_platform_isatty(stderr) && !(term && strcmp(term, "dumb") == 0);
}

cJSON *pt_cli_json_str(const char *s)
{
    return pt_json_str(s);
}

void pt_cli_printf(const char *fmt, ...)
{
    va_list ap;
    pt_buf b = {0};
    va_start(ap, fmt);
    pt_term_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.data)
        fputs(b.data, stdout);
    pt_buf_free(&b);
}

void pt_cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn("pooltriage: warning: ", fmt, ap, "\n");
    va_end(ap);
}

void pt_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn("pooltriage: ", fmt, ap, "\n");
    va_end(ap);
}
