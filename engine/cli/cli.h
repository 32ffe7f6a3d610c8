/*
 * cli.h - what the subcommands of the pooltriage CLI share: the exit codes
 * of CONTRACT.md, error printing, the default KB location and checked
 * writes to stdout.
 */
#ifndef PT_CLI_H
#define PT_CLI_H

#include "pooltriage/pooltriage.h"

#include <stdio.h>

enum {
    PT_EXIT_OK = 0,       /* ran; nothing at level likely or above */
    PT_EXIT_FOUND = 1,    /* ran; a finding at likely or known */
    PT_EXIT_USAGE = 2,
    PT_EXIT_INPUT = 3,    /* an input can't be read or isn't what it claims */
    PT_EXIT_KB = 4,       /* KB or rules infrastructure broken */
    PT_EXIT_NET = 5       /* network or update error */
};

/* The exit code of an engine error. */
int pt_cli_exit_code(pt_code code);
/* Prints "pooltriage: WHERE: MESSAGE" to stderr and returns the exit code. */
int pt_cli_fail(const pt_error *err);
/* Prints a usage error and a pointer to --help; returns PT_EXIT_USAGE. */
int pt_cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The KB to use: --kb, else $XDG_DATA_HOME/pooltriage/kb.sqlite (or
 * ~/.local/share/...), else next to the binary (build tree), else the
 * installed one.  Returns a static buffer. */
const char *pt_cli_default_kb(void);
/* A progress line on stderr for long scans ("LABEL: done/total files");
 * ctx is the label.  Callers set it only when stderr is a TTY and end the
 * line with "\r\033[K". */
void pt_cli_progress(void *ctx, size_t done, size_t total);
/* Whether to draw that progress line: stderr is a terminal that understands
 * the erase-line escape (not TERM=dumb). */
bool pt_cli_progress_wanted(void);
/* Runs a network command (update, ticket, kb bundle|sign|links) in the
 * pooltriage-net binary, which alone links libcurl, so that every other
 * command starts without loading it.  argv[0] is the command name.  Returns
 * only on failure (exit code 5). */
int pt_cli_exec_net(int argc, char **argv);
struct cJSON;
/* A JSON string, or JSON null for NULL. */
struct cJSON *pt_cli_json_str(const char *s);
/* "pooltriage: warning: ...\n" / "pooltriage: ...\n" on stderr, with every
 * %s argument cleaned for the terminal (pt_term_printf): use these for any
 * message that holds a file name or other untrusted text. */
/* printf to stdout with every %s argument cleaned for the terminal. */
void pt_cli_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void pt_cli_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void pt_cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Writes a report to stdout and flushes, or, after pt_cli_set_output, to
 * that file through a temporary file and a rename (never half a report).
 * PT_EXIT_OK, or PT_EXIT_INPUT with a message on stderr. */
int pt_cli_write(const pt_buf *buf);
/* -o FILE: where pt_cli_write puts the report ("-" or NULL: stdout). */
void pt_cli_set_output(const char *path);

int cmd_triage(int argc, char **argv);   /* cmd_triage.c */
int cmd_pool(int argc, char **argv);     /* cmd_pool.c */
int cmd_scan(int argc, char **argv);     /* cmd_scan.c */
int cmd_info(int argc, char **argv);     /* cmd_info.c */
int cmd_kb(int argc, char **argv);       /* cmd_kb.c: list show search check build */
int cmd_kb_feed(int argc, char **argv);  /* cmd_kb_feed.c: bundle sign links */
int cmd_rules(int argc, char **argv);    /* cmd_rules.c */
int cmd_update(int argc, char **argv);   /* cmd_update.c */
int cmd_fleet(int argc, char **argv);    /* cmd_fleet.c */
int cmd_ticket(int argc, char **argv);   /* cmd_ticket.c */
int cmd_collect(int argc, char **argv);  /* cmd_triage.c: a case archive */

/* --live: `count` readings of the running kernel's pool tags, `every`
 * seconds apart, each written as a poolmon -n file in dir (made if needed;
 * NULL: a new temporary folder); their paths (free each, then the array)
 * in *out.  Returns an exit code; a refusal (not Windows, not elevated,
 * the query unsupported) is one line on stderr and PT_EXIT_INPUT. */
int pt_cli_live_series(const char *dir, unsigned every, unsigned count, char ***out,
                       size_t *out_count);
/* --live: the files of the drivers the running kernel has loaded
 * (SystemModuleInformation, paths made Win32 with windir and sysdrive),
 * the ones that exist as files; malloc'd array of pt_malloc'd paths.
 * PT_EIO where the system does not give the list. */
pt_code pt_cli_live_modules(const char *windir, const char *sysdrive, char ***out,
                            size_t *out_count, pt_error *err);

#endif
