/*
 * platform.h - every call into the operating system, behind one interface:
 * files and folders, paths, processes, threads, the terminal.  Two
 * implementations: engine/platform/posix and engine/platform/win32.  Paths
 * are UTF-8 on both; on Windows they may use '\' or '/', drive letters and
 * UNC names, and are opened with the wide-character APIs (long paths too).
 */
#ifndef POOLTRIAGE_PLATFORM_H
#define POOLTRIAGE_PLATFORM_H

#include "core.h"
#include "live.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- paths ---- */

/* The separator this system prefers ('/' or '\\'). */
#define PT_PATH_SEP_POSIX '/'
#define PT_PATH_SEP_WIN32 '\\'
#ifdef _WIN32
#define PT_PATH_SEP PT_PATH_SEP_WIN32
#else
#define PT_PATH_SEP PT_PATH_SEP_POSIX
#endif

/* True for a character that separates path components here ('/' always,
 * and '\\' on Windows). */
bool pt_path_is_sep(char c);
/* dir + separator + name (no separator added when dir is empty or ends in
 * one); a pt_malloc'd string, NULL on out of memory. */
char *pt_path_join(const char *dir, const char *name);
/* The same into out[len]; false (out unchanged) when it does not fit or on
 * out of memory. */
bool pt_path_join_buf(char *out, size_t len, const char *dir, const char *name);
/* The same, in the arena. */
char *pt_path_join_arena(pt_arena *arena, const char *dir, const char *name);
/* The last component of a path (a pointer into it). */
const char *pt_path_base(const char *path);
/* Copies path into buf[len] without its trailing separators and returns
 * where its last component starts there: buf[0..n) is its parent folder
 * with the separator that ends it, 0 when it has none ("kb/issues/" gives
 * "kb/issues" and 3). */
size_t pt_path_split_last(char *buf, size_t len, const char *path);
/* The length of the root that mkdir never creates: "/", and on Windows
 * "C:\", "\\server\share\" or "\\?\C:\" (0 for a relative path). */
size_t pt_path_root_len(const char *path);

/* ---- files ---- */

typedef struct pt_file_info {
    uint64_t size;
    int64_t mtime;        /* Unix seconds */
    int64_t mtime_ns;     /* nanoseconds within the second */
    uint64_t ino;         /* inode / file index (0 when unknown) */
    bool is_dir, is_file; /* following links */
} pt_file_info;

/* stat / fstat; false (errno set) when the file can't be examined. */
bool pt_platform_stat(const char *path, pt_file_info *out);
bool pt_platform_fstat(int fd, pt_file_info *out);
/* True when path is a directory / a regular file. */
bool pt_platform_is_dir(const char *path);
bool pt_platform_is_file(const char *path);
/* Modification time in Unix seconds, or -1. */
int64_t pt_platform_mtime(const char *path);
/* True when the file exists and this process may read / run it. */
bool pt_platform_can_read(const char *path);
bool pt_platform_can_exec(const char *path);

/* How pt_platform_open opens a file; descriptors never leak into children. */
typedef enum pt_open_mode {
    PT_OPEN_READ,       /* read only */
    PT_OPEN_CREATE,     /* write; create or truncate */
    PT_OPEN_EXCL,       /* read and write; create, fail when it exists */
    PT_OPEN_APPEND,     /* write at the end; create */
    PT_OPEN_RW          /* read and write; create, keep the contents */
} pt_open_mode;
/* A file descriptor (binary mode everywhere), or -1 with errno set. */
int pt_platform_open(const char *path, pt_open_mode mode);
/* read(2), retried on EINTR: bytes read, 0 at the end, -1 on error. */
int64_t pt_platform_read(int fd, void *buf, size_t len);
/* Writes everything; false on error. */
bool pt_platform_write_all(int fd, const void *buf, size_t len);
int pt_platform_close(int fd);
/* The descriptor of standard input. */
#define PT_STDIN_FD 0
/* dup(2): a second descriptor of the same open file, or -1. */
int pt_platform_dup(int fd);
/* Moves to byte `off` from the start; the new offset or -1. */
int64_t pt_platform_seek(int fd, int64_t off);
/* Flushes the file to the disk. 0 or -1. */
int pt_platform_sync(int fd);
/* Cuts the file at len bytes. 0 or -1. */
int pt_platform_truncate(int fd, uint64_t len);
/* Flushes a file or, with dir, a folder's entries (a no-op where the
 * system has no such thing); false when it fails. */
bool pt_platform_sync_path(const char *path, bool dir);
/* True when only the owner of the open file may read it: POSIX mode bits;
 * on Windows its DACL, whose allow ACEs that can read may name only the
 * owner, this user, SYSTEM, Administrators or CREATOR OWNER (a NULL DACL,
 * or one that cannot be read, is not private). */
bool pt_platform_owner_only(int fd);
/* What to run to make a file private, for messages. */
const char *pt_platform_private_hint(void);
/* An advisory lock on the whole file, held until the descriptor closes;
 * wait false: -1 with errno EWOULDBLOCK when another holds it. */
int pt_platform_lock(int fd, bool wait);
/* Creates a new file from a template ending in "XXXXXX" (replaced in
 * place) for writing; a descriptor or -1. */
int pt_platform_temp_file(char *path_template);

/* Gives a file made by pt_platform_temp_file (owner only) the permissions
 * any new file of the user gets (0666 less the umask; nothing on Windows).
 * 0 or -1. */
int pt_platform_chmod_default(int fd);
/* chmod(2): the POSIX mode bits of path; on Windows only the owner's write
 * bit counts (the read-only attribute).  0 or -1. */
int pt_platform_chmod(const char *path, unsigned mode);

/* The absolute path without "." and ".." (pt_malloc'd), or NULL. */
char *pt_platform_realpath(const char *path);

/* unlink(2), rename(2) (replacing `to` atomically where the system can),
 * mkdir(2) of one folder (0 when it is made or already a folder).  0 or -1. */
int pt_platform_remove(const char *path);
int pt_platform_rename(const char *from, const char *to);
int pt_platform_mkdir(const char *path);
/* rmdir(2) of an empty folder.  0 or -1. */
int pt_platform_rmdir(const char *path);
/* True when something exists at path. */
bool pt_platform_exists(const char *path);
/* Sets a file's modification time.  0 or -1. */
int pt_platform_set_mtime(const char *path, int64_t sec, int64_t nsec);
/* Creates a new folder from a template ending in "XXXXXX" (replaced in
 * place); returns the template, or NULL. */
char *pt_platform_make_temp_dir(char *path_template);
/* The folder for temporary files: $TMPDIR or /tmp; %TEMP% on Windows. */
const char *pt_platform_temp_root(void);
/* Makes `to` a new hard link of `from`.  0 or -1. */
int pt_platform_link(const char *from, const char *to);
/* mkdir -p; PT_EIO naming the part that could not be made. */
pt_code pt_platform_mkdir_p(const char *path, pt_error *err);
/* mkdir -p of the folder holding `path` (nothing when it names none). */
pt_code pt_platform_mkdir_parent(const char *path, pt_error *err);

/* Reads a whole file of at most max_len bytes into arena memory,
 * NUL-terminated; a FIFO or device is refused as pt_platform_open_input
 * says.  PT_ELIMIT when the file is larger. */
pt_code pt_file_read(pt_arena *arena, const char *path, size_t max_len,
                     uint8_t **out, size_t *out_len, pt_error *err);
/* Hex of a sha256 digest of a whole file, read in chunks (out: 65 bytes). */
pt_code pt_sha256_file(const char *path, char out[65], pt_error *err);

/* ---- reading a file in order or by offset (scan, describe) ---- */

/* A file open for reading: on disk, or bytes in memory (a member of a case
 * archive).  A plain value: no allocation. */
typedef struct pt_rfile {
    intptr_t handle;
    const char *path;          /* for messages; not owned */
    const uint8_t *mem;        /* in memory: its bytes (not owned), else NULL */
    uint64_t mem_len, mem_pos;
} pt_rfile;

/* What the scan cache keys a file by. */
typedef struct pt_rfile_id {
    uint64_t size;
    int64_t mtime_ns;
    uint64_t ino;
} pt_rfile_id;

/* Opens `path` for reading; PT_EIO with "cannot open: ..." otherwise. */
pt_code pt_rfile_open(pt_rfile *f, const char *path, pt_error *err);
/* The same for a file named by the user: anything but a regular file
 * (a FIFO, a device) is refused with "not a regular file", never waited on. */
pt_code pt_rfile_open_input(pt_rfile *f, const char *path, pt_error *err);
/* Bytes in memory read as a file named `name` (they must outlive it). */
void pt_rfile_open_memory(pt_rfile *f, const char *name, const void *data, size_t len);
/* Closes it; a file that was never opened (handle -1) is a no-op. */
void pt_rfile_close(pt_rfile *f);
/* Size, modification time and inode of a file by name (stat); false on error. */
bool pt_platform_file_id(const char *path, pt_rfile_id *out);
/* The same of the open file; false on error. */
bool pt_rfile_identity(const pt_rfile *f, pt_rfile_id *out);
/* The next bytes, in order: *got is 0 at the end.  PT_EIO on error. */
pt_code pt_rfile_read(pt_rfile *f, void *buf, size_t len, size_t *got, pt_error *err);
/* Up to len bytes at file offset off (fewer only at the end of the file);
 * the position of pt_rfile_read does not move.  PT_EIO on error. */
pt_code pt_rfile_read_at(const pt_rfile *f, uint64_t off, void *buf, size_t len,
                         size_t *got, pt_error *err);

/* ---- folders ---- */


/* Opens a file named by the user (a capture, a report, a tags, config or
 * credentials file) for reading, without ever blocking: the open itself
 * does not wait (a FIFO with no writer, a device), then anything that is
 * not a regular file is refused with PT_EIO "not a regular file" (exit 3).
 * *out is a blocking, close-on-exec descriptor; close it.  PT_EIO "cannot
 * open: ..." when it can't be opened, with errno as open() left it (ENOENT:
 * missing); errno is 0 for "not a regular file".  err may be NULL. */
pt_code pt_platform_open_input(const char *path, int *out, pt_error *err);
/* The same as a stdio stream opened "rb"; fclose it.  PT_ENOMEM. */
pt_code pt_platform_fopen_input(const char *path, FILE **out, pt_error *err);

/* One folder walk (engine/platform/walk.c) serves every caller: files in
 * name order, folders depth first, symbolic links and junctions not
 * followed, bounded by PT_MAX_WALK_DEPTH and PT_MAX_WALK_FILES.  PT_EIO
 * when `dir` itself can't be read. */

/* Called for what a walk leaves out, so that nothing is dropped silently:
 * a subfolder it can't read (`path` is the folder; past
 * PT_MAX_WALK_PROBLEMS only a count at the end), the folders past
 * PT_MAX_WALK_DEPTH (once per walk, `path` is the first of them) and the
 * files past PT_MAX_WALK_FILES (once, `path` is where it stopped). */
typedef void (*pt_walk_problem_fn)(void *ctx, const char *path, const char *message);
/* Called for each regular file with its size; return false to stop. */
typedef bool (*pt_walk_fn)(void *ctx, const char *path, const char *name,
                           uint64_t size);
/* Called for each regular file without its size: no stat per file where
 * the folder listing gives the type (as ripgrep does); return false to stop. */
typedef bool (*pt_walk_name_fn)(void *ctx, const char *path, const char *name);

/* The walk with each file's size; what it leaves out goes to `problem`
 * (may be NULL: nothing is said).  The same ctx goes to both functions. */
pt_code pt_platform_walk_checked(const char *dir, pt_walk_fn fn, pt_walk_problem_fn problem,
                                 void *ctx, pt_error *err);
/* The walk without sizes (the scan's: it opens every file anyway). */
pt_code pt_platform_walk_names(const char *dir, pt_walk_name_fn fn, pt_walk_problem_fn problem,
                               void *ctx, pt_error *err);
/* Finds `name` in `dir` case-insensitively; returns a malloc'd path or NULL. */
char *pt_platform_find_ci(const char *dir, const char *name);
/* Lists the regular files directly in `dir` in name order, as malloc'd
 * paths in a malloc'd array (free each, then the array). */
pt_code pt_platform_list(const char *dir, char ***out, size_t *out_count, pt_error *err);
/* Every entry name in `dir` (no "." or ".."), sorted, as malloc'd names
 * in a malloc'd array; free with pt_platform_names_free. */
pt_code pt_platform_names(const char *dir, char ***out, size_t *out_count, pt_error *err);
void pt_platform_names_free(char **names, size_t count);

/* ---- what the system says of a signature ---- */

typedef struct pt_os_trust {
    char verdict[16];      /* "trusted", "untrusted" or "unsigned" */
    char detail[320];      /* WinVerifyTrust's result: "0x800B0109: <its text>" */
    char catalog[1024];    /* the catalog that signs the file, or "" */
} pt_os_trust;
/* What Windows itself concludes of the file at path, as sigcheck reports
 * it: WinVerifyTrust over its embedded signature, else over the catalog
 * this machine's catalog database names for it; no network.  false off
 * Windows, or when the file cannot be opened. */
bool pt_platform_os_trust(const char *path, pt_os_trust *out);

/* ---- processes ---- */

/* Work to run in a child process: reads its input, writes its result to
 * `out`.  It must be a function of this program (on Windows the child is
 * a new process of the same executable, which finds it by its place in the
 * image) and must trust nothing in its input. */
typedef void (*pt_isolated_fn)(const uint8_t *in, size_t in_len, pt_buf *out);
/* Runs fn over in[0..in_len) in a child process limited to wall_ms of
 * wall-clock time and as much CPU time, that may write no file and gain no
 * privilege (Windows: a Job Object with one process, a CPU time and a
 * memory limit, killed when closed, and a restricted low-integrity token);
 * *out receives what it wrote, at most max_out bytes.  PT_ELIMIT when it
 * ran out of time or wrote too much, PT_EIO when it crashed or failed. */
pt_code pt_platform_run_isolated(pt_isolated_fn fn, const void *in, size_t in_len,
                                 unsigned wall_ms, size_t max_out, pt_buf *out,
                                 pt_error *err);
/* How many pt_platform_run_isolated may run at once, from as many
 * threads: 1 on POSIX, where the child is a fork (a fork taken while
 * another thread holds a lock, the allocator's under AddressSanitizer for
 * one, leaves that lock held in the child for ever); on Windows, where a
 * child is a new process, one per CPU, at most `cap`. */
unsigned pt_platform_isolated_at_once(unsigned cap);
/* This process's id. */
unsigned long pt_platform_pid(void);
/* The running executable's path (pt_malloc'd), or NULL. */
char *pt_platform_self_exe(void);
/* Runs `path` with argv (argv[0] first, NULL-terminated) in place of this
 * process: returns only on failure (-1); on Windows the child's exit
 * status becomes this process's. */
int pt_platform_exec(const char *path, char *const argv[]);
/* Milliseconds of a monotonic clock. */
int64_t pt_platform_now_ms(void);
/* The command line in UTF-8: argv itself on POSIX; on Windows the wide
 * command line converted (argv when that fails).  Lives until exit. */
char **pt_platform_utf8_argv(int argc, char **argv);
/* A write past a file size limit fails (EFBIG) instead of killing the
 * process (SIGXFSZ ignored; nothing to do on Windows). */
void pt_platform_soft_write_limits(void);
/* Sleeps for ms milliseconds. */
void pt_platform_sleep_ms(unsigned ms);
/* Online processors (at least 1). */
unsigned pt_platform_cpu_count(void);
/* The value of an environment variable, or NULL. */
const char *pt_platform_getenv(const char *name);
/* Sets an environment variable of this process (tests).  0 or -1. */
int pt_platform_setenv(const char *name, const char *value);

/* ---- threads ---- */

typedef struct pt_thread pt_thread;
typedef struct pt_mutex pt_mutex;
/* Starts fn(arg) on a new thread; PT_EIO or PT_ENOMEM. */
pt_code pt_thread_start(pt_thread **out, void (*fn)(void *arg), void *arg);
/* Waits for the thread to end and frees it; NULL is a no-op. */
void pt_thread_join(pt_thread *t);
/* A new mutex or NULL; pt_mutex_free accepts NULL. */
pt_mutex *pt_mutex_new(void);
void pt_mutex_lock(pt_mutex *m);
void pt_mutex_unlock(pt_mutex *m);
void pt_mutex_free(pt_mutex *m);
/* Runs fn(ctx, 0) on the calling thread and fn(ctx, i) for i = 1..n-1 on
 * new threads, and returns when all have returned.  When a thread can't be
 * started, fewer run: fn must take its work from a shared queue. */
void pt_parallel_run(unsigned n, void (*fn)(void *ctx, unsigned worker), void *ctx);
/* Gives the processor to another thread for a moment (a worker waiting
 * for the walk to find more files). */
void pt_parallel_pause(void);

/* ---- terminal ---- */

/* True when the stream is an interactive terminal (a console on Windows). */
bool pt_platform_isatty(FILE *f);
/* Prepares the standard streams: on Windows, UTF-8 console output, binary
 * stdout/stdin, and virtual-terminal colour on a console (returns whether
 * colour sequences work there); on POSIX nothing (true). */
bool pt_platform_console_init(void);

/* ---- places ---- */

typedef enum pt_user_dir {
    PT_DIR_DATA,    /* $XDG_DATA_HOME, ~/.local/share */
    PT_DIR_CONFIG,  /* $XDG_CONFIG_HOME, ~/.config */
    PT_DIR_STATE,   /* $XDG_STATE_HOME, ~/.local/state */
    PT_DIR_CACHE    /* $XDG_CACHE_HOME, ~/.cache */
} pt_user_dir;
/* The per-user folder of pooltriage for one kind of file: the XDG folder
 * (or its default under $HOME) + "/pooltriage" on POSIX, and
 * %LOCALAPPDATA%\pooltriage for every kind on Windows (%POOLTRIAGE_HOME%
 * instead when it is set: a portable install).  pt_malloc'd; NULL
 * when the environment names none (no HOME). */
char *pt_platform_user_dir(pt_user_dir kind);
/* The folder of the running executable (pt_malloc'd), or NULL. */
char *pt_platform_exe_dir(void);

/* ---- the live host (Windows) ---- */

typedef enum pt_live_source {
    PT_LIVE_POOLTAGS,   /* NtQuerySystemInformation(SystemPoolTagInformation) */
    PT_LIVE_MODULES     /* NtQuerySystemInformation(SystemModuleInformation) */
} pt_live_source;
/* The raw buffer of a live query (pt_malloc'd, *len bytes), decoded by
 * pooltriage/live.h.  PT_EIO with one line saying what to do when it can't
 * be read here: not Windows, not elevated, a 32-bit process on 64-bit
 * Windows, or the system refuses the query (Wine answers
 * STATUS_INVALID_INFO_CLASS for pool tags). */
pt_code pt_platform_live_query(pt_live_source what, uint8_t **out, size_t *len, pt_error *err);
/* The running kernel's version as "major.minor.build.UBR" (RtlGetVersion,
 * and the update build revision from the registry's CurrentVersion key;
 * "major.minor.build" when the registry has none) into out.  PT_EIO off
 * Windows. */
pt_code pt_platform_live_os(char *out, size_t len, pt_error *err);
/* Memory, commit and pool totals in KiB (GetPerformanceInfo,
 * GlobalMemoryStatusEx); PT_EIO off Windows. */
pt_code pt_platform_live_totals(pt_live_totals *out, pt_error *err);

#endif /* POOLTRIAGE_PLATFORM_H */
