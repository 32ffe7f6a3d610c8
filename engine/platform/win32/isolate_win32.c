/*
 * isolate_win32.c - the isolated run on Windows (pt_platform_run_isolated):
 * each piece of work runs in a new process of this same executable,
 *   - inside a Job Object: one active process, a CPU time limit, a memory
 *     limit, no desktop or clipboard access, killed when the job closes or
 *     on an unhandled exception;
 *   - under a restricted token: every privilege but change-notify removed,
 *     BUILTIN\Administrators deny-only, low integrity (it cannot write
 *     where the user can, nor open this process);
 *   - with the input on its stdin, its answer on its stdout, and stderr
 *     going nowhere.
 * The child finds its work by the function's offset in the executable's
 * image (the same file, so the same layout; ASLR moves only the base) and
 * checks that the image is the one the parent runs before it calls it.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"
#include "win32_int.h"

#include <windows.h>
#include <shellapi.h>

#include <process.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define ISO_ARG L"--pooltriage-isolated-child"
#define ISO_MAGIC "PTISO01"

/* The memory a rule's process may commit: the Lua state's cap, SQLite's
 * page cache, the executable itself. */
#define ISO_MEMORY_LIMIT ((SIZE_T)PT_LUA_MEMORY_CAP + (SIZE_T)192 * 1024 * 1024)
/* The largest input a child accepts. */
#define ISO_MAX_INPUT ((uint64_t)256 * 1024 * 1024)

/* Exit statuses of the child itself. */
enum { ISO_EXIT_OK = 0, ISO_EXIT_FAILED = 3, ISO_EXIT_BAD_INPUT = 4, ISO_EXIT_WRONG_IMAGE = 5 };
/* The status a job ends with when the parent kills it. */
#define ISO_KILLED 0xC000013Au

typedef struct iso_header {
    char magic[8];
    uint64_t fn_offset;       /* fn - the image's base */
    uint64_t anchor_offset;   /* pt_platform_run_isolated - the image's base */
    uint32_t stamp;           /* the image's TimeDateStamp */
    uint32_t image_size;      /* its SizeOfImage */
    uint64_t in_len;
} iso_header;

static const IMAGE_NT_HEADERS *image_headers(void)
{
    const char *base = (const char *)GetModuleHandleW(NULL);
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    return (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
}

static uint64_t image_offset(const void *fn)
{
    return (uint64_t)((uintptr_t)fn - (uintptr_t)GetModuleHandleW(NULL));
}

/* ---- the child ---- */

static bool read_exact(HANDLE h, void *buf, uint64_t len)
{
    char *p = buf;
    while (len > 0) {
        DWORD want = len > (1u << 20) ? (1u << 20) : (DWORD)len, got = 0;
        if (!ReadFile(h, p, want, &got, NULL) || got == 0)
            return false;
        p += got;
        len -= got;
    }
    return true;
}

static bool write_exact(HANDLE h, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        DWORD want = len > (1u << 20) ? (1u << 20) : (DWORD)len, put = 0;
        if (!WriteFile(h, p, want, &put, NULL) || put == 0)
            return false;
        p += put;
        len -= put;
    }
    return true;
}

static UINT child_main(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), out = GetStdHandle(STD_OUTPUT_HANDLE);
    iso_header h;
    if (!read_exact(in, &h, sizeof h) || memcmp(h.magic, ISO_MAGIC, sizeof h.magic) != 0 ||
        h.in_len > ISO_MAX_INPUT)
        return ISO_EXIT_BAD_INPUT;
    const IMAGE_NT_HEADERS *nt = image_headers();
    if (h.stamp != nt->FileHeader.TimeDateStamp || h.image_size != nt->OptionalHeader.SizeOfImage ||
        h.anchor_offset != image_offset((const void *)pt_platform_run_isolated) ||
        h.fn_offset == 0 || h.fn_offset >= h.image_size)
        return ISO_EXIT_WRONG_IMAGE;
    uint8_t *data = pt_malloc(h.in_len ? (size_t)h.in_len : 1);
    if (data == NULL || !read_exact(in, data, h.in_len)) {
        pt_free(data);
        return ISO_EXIT_BAD_INPUT;
    }
    pt_isolated_fn fn = (pt_isolated_fn)((uintptr_t)GetModuleHandleW(NULL) + h.fn_offset);
    pt_buf result = {0};
    fn(data, (size_t)h.in_len, &result);
    pt_free(data);
    UINT code = result.failed ? ISO_EXIT_FAILED : ISO_EXIT_OK;
    if (!result.failed && !write_exact(out, result.data ? result.data : "", result.len))
        code = ISO_EXIT_FAILED;
    pt_buf_free(&result);
    return code;
}

/* Runs before main in every program built with the engine: a process
 * started as an isolated child does its one piece of work and ends here. */
__attribute__((constructor)) static void isolated_child_entry(void)
{
    int argc = 0;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    bool child = argv && argc == 2 && wcscmp(argv[1], ISO_ARG) == 0;
    LocalFree(argv);
    if (!child)
        return;
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    ExitProcess(child_main());
}

/* ---- the parent ---- */

typedef struct iso_run {
    HANDLE in_r, in_w, out_r, out_w, nul;
    HANDLE token, job, process, thread, reader;
    wchar_t *exe;
    LPPROC_THREAD_ATTRIBUTE_LIST attrs;
    pt_buf *out;
    size_t max_out;
    bool too_much;
} iso_run;

static pt_code setup_failed(pt_error *err, const char *what)
{
    return pt_error_set(err, PT_EIO, "", "cannot set up the rule's sandbox: %s failed "
                        "(Windows error %lu)", what, (unsigned long)GetLastError());
}

/* A primary token like this process's, with every privilege but
 * SeChangeNotify gone, Administrators deny-only, at low integrity. */
static HANDLE restricted_token(pt_error *err, pt_code *rc)
{
    HANDLE self = NULL, token = NULL;
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY, label = SECURITY_MANDATORY_LABEL_AUTHORITY;
    PSID admins = NULL, low = NULL;
    *rc = PT_OK;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_ASSIGN_PRIMARY |
                          TOKEN_QUERY | TOKEN_ADJUST_DEFAULT, &self))
        *rc = setup_failed(err, "OpenProcessToken");
    else if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                       DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &admins) ||
             !AllocateAndInitializeSid(&label, 1, SECURITY_MANDATORY_LOW_RID,
                                       0, 0, 0, 0, 0, 0, 0, &low))
        *rc = setup_failed(err, "AllocateAndInitializeSid");
    if (*rc == PT_OK) {
        SID_AND_ATTRIBUTES deny = {admins, 0};
        if (!CreateRestrictedToken(self, DISABLE_MAX_PRIVILEGE, 1, &deny, 0, NULL, 0, NULL,
                                   &token))
            *rc = setup_failed(err, "CreateRestrictedToken");
    }
    if (*rc == PT_OK) {
        TOKEN_MANDATORY_LABEL tml = {{low, SE_GROUP_INTEGRITY}};
        if (!SetTokenInformation(token, TokenIntegrityLevel, &tml,
                                 (DWORD)(sizeof tml + GetLengthSid(low))))
            *rc = setup_failed(err, "setting low integrity on the token");
    }
    if (*rc != PT_OK && token) {
        CloseHandle(token);
        token = NULL;
    }
    if (admins)
        FreeSid(admins);
    if (low)
        FreeSid(low);
    if (self)
        CloseHandle(self);
    return token;
}

static HANDLE limited_job(unsigned wall_ms, pt_error *err, pt_code *rc)
{
    HANDLE job = CreateJobObjectW(NULL, NULL);
    if (job == NULL) {
        *rc = setup_failed(err, "CreateJobObject");
        return NULL;
    }
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
    memset(&li, 0, sizeof li);
    li.BasicLimitInformation.LimitFlags =
        JOB_OBJECT_LIMIT_PROCESS_TIME | JOB_OBJECT_LIMIT_ACTIVE_PROCESS |
        JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE |
        JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
    li.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart = (LONGLONG)wall_ms * 10000;
    li.BasicLimitInformation.ActiveProcessLimit = 1;
    li.ProcessMemoryLimit = ISO_MEMORY_LIMIT;
    JOBOBJECT_BASIC_UI_RESTRICTIONS ui = {
        JOB_OBJECT_UILIMIT_DESKTOP | JOB_OBJECT_UILIMIT_DISPLAYSETTINGS |
        JOB_OBJECT_UILIMIT_EXITWINDOWS | JOB_OBJECT_UILIMIT_GLOBALATOMS |
        JOB_OBJECT_UILIMIT_HANDLES | JOB_OBJECT_UILIMIT_READCLIPBOARD |
        JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS | JOB_OBJECT_UILIMIT_WRITECLIPBOARD};
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &li, sizeof li))
        *rc = setup_failed(err, "setting the job's limits");
    else if (!SetInformationJobObject(job, JobObjectBasicUIRestrictions, &ui, sizeof ui))
        *rc = setup_failed(err, "setting the job's UI limits");
    else
        return job;
    CloseHandle(job);
    return NULL;
}

static bool make_pipe(HANDLE *r, HANDLE *w, bool child_reads)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    if (!CreatePipe(r, w, &sa, 0))
        return false;
    /* only the child's end is inherited */
    return SetHandleInformation(child_reads ? *w : *r, HANDLE_FLAG_INHERIT, 0) != 0;
}

static unsigned __stdcall reader_main(void *p)
{
    iso_run *r = p;
    char chunk[65536];
    DWORD got;
    while (ReadFile(r->out_r, chunk, sizeof chunk, &got, NULL) && got > 0) {
        if (r->out->len + got > r->max_out) {
            r->too_much = true;
            break;
        }
        pt_buf_append(r->out, chunk, got);
    }
    return 0;
}

static void close_handle(HANDLE *h)
{
    if (*h && *h != INVALID_HANDLE_VALUE)
        CloseHandle(*h);
    *h = NULL;
}

static void iso_close(iso_run *r)
{
    close_handle(&r->in_r);
    close_handle(&r->in_w);
    close_handle(&r->out_r);
    close_handle(&r->out_w);
    close_handle(&r->nul);
    close_handle(&r->token);
    close_handle(&r->thread);
    close_handle(&r->process);
    close_handle(&r->reader);
    close_handle(&r->job);   /* kills whatever is left of the child */
    if (r->attrs) {
        DeleteProcThreadAttributeList(r->attrs);
        pt_free(r->attrs);
    }
    pt_free(r->exe);
}

/* Starts the child suspended with only its three handles, in the job. */
static pt_code start_child(iso_run *r, pt_error *err)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    r->nul = CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                         OPEN_EXISTING, 0, NULL);
    if (r->nul == INVALID_HANDLE_VALUE)
        return setup_failed(err, "opening NUL");
    HANDLE inherit[3] = {r->in_r, r->out_w, r->nul};
    SIZE_T size = 0;
    InitializeProcThreadAttributeList(NULL, 1, 0, &size);
    r->attrs = pt_malloc(size);
    if (r->attrs == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (!InitializeProcThreadAttributeList(r->attrs, 1, 0, &size)) {
        pt_free(r->attrs);
        r->attrs = NULL;
        return setup_failed(err, "InitializeProcThreadAttributeList");
    }
    if (!UpdateProcThreadAttribute(r->attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit,
                                   sizeof inherit, NULL, NULL))
        return setup_failed(err, "limiting the inherited handles");
    STARTUPINFOEXW si;
    memset(&si, 0, sizeof si);
    si.StartupInfo.cb = sizeof si;
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = r->in_r;
    si.StartupInfo.hStdOutput = r->out_w;
    si.StartupInfo.hStdError = r->nul;
    si.lpAttributeList = r->attrs;
    size_t n = wcslen(r->exe) + wcslen(ISO_ARG) + 4;
    wchar_t *cmd = pt_malloc(n * sizeof *cmd);
    if (cmd == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    swprintf(cmd, n, L"\"%ls\" %ls", r->exe, ISO_ARG);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessAsUserW(r->token, r->exe, cmd, NULL, NULL, TRUE,
                                   CREATE_SUSPENDED | DETACHED_PROCESS |
                                   EXTENDED_STARTUPINFO_PRESENT,
                                   NULL, NULL, &si.StartupInfo, &pi);
    pt_free(cmd);
    if (!ok)
        return setup_failed(err, "starting the rule's process");
    r->process = pi.hProcess;
    r->thread = pi.hThread;
    if (!AssignProcessToJobObject(r->job, r->process)) {
        pt_code rc = setup_failed(err, "putting the rule's process in its job");
        TerminateProcess(r->process, ISO_KILLED);
        return rc;
    }
    if (ResumeThread(r->thread) == (DWORD)-1) {
        pt_code rc = setup_failed(err, "ResumeThread");
        TerminateJobObject(r->job, ISO_KILLED);
        return rc;
    }
    return PT_OK;
}

unsigned pt_platform_isolated_at_once(unsigned cap)
{
    unsigned n = pt_platform_cpu_count();
    return n < cap ? n : cap;
}

/* Held from a child's pipes to the parent's closing of the child's ends:
 * a child started by another thread at the same time inherits none of
 * them, even where the handle list is not honoured. */
static SRWLOCK spawn_lock = SRWLOCK_INIT;

pt_code pt_platform_run_isolated(pt_isolated_fn fn, const void *in, size_t in_len,
                                 unsigned wall_ms, size_t max_out, pt_buf *out,
                                 pt_error *err)
{
    iso_run r;
    memset(&r, 0, sizeof r);
    r.out = out;
    r.max_out = max_out;
    pt_code rc = PT_OK;
    int64_t start = pt_platform_now_ms();
    r.exe = pt_win_self_path();
    if (r.exe == NULL)
        rc = setup_failed(err, "finding this program's path");
    if (rc == PT_OK)
        r.token = restricted_token(err, &rc);
    if (rc == PT_OK)
        r.job = limited_job(wall_ms, err, &rc);
    AcquireSRWLockExclusive(&spawn_lock);
    if (rc == PT_OK && (!make_pipe(&r.in_r, &r.in_w, true) ||
                        !make_pipe(&r.out_r, &r.out_w, false)))
        rc = setup_failed(err, "CreatePipe");
    if (rc == PT_OK)
        rc = start_child(&r, err);
    close_handle(&r.in_r);    /* the child's ends: the child holds its own */
    close_handle(&r.out_w);
    close_handle(&r.nul);
    ReleaseSRWLockExclusive(&spawn_lock);
    if (rc == PT_OK) {
        r.reader = (HANDLE)_beginthreadex(NULL, 0, reader_main, &r, 0, NULL);
        if (r.reader == NULL) {
            TerminateJobObject(r.job, ISO_KILLED);
            rc = setup_failed(err, "starting the reader thread");
        }
    }
    if (rc != PT_OK) {
        iso_close(&r);
        return rc;
    }
    const IMAGE_NT_HEADERS *nt = image_headers();
    iso_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, ISO_MAGIC, sizeof h.magic);
    h.fn_offset = image_offset((const void *)fn);
    h.anchor_offset = image_offset((const void *)pt_platform_run_isolated);
    h.stamp = nt->FileHeader.TimeDateStamp;
    h.image_size = nt->OptionalHeader.SizeOfImage;
    h.in_len = in_len;
    /* the child reads all of its input before it writes: no deadlock; a
     * child that dies first makes the write fail, and its status says why */
    if (write_exact(r.in_w, &h, sizeof h))
        write_exact(r.in_w, in, in_len);
    close_handle(&r.in_w);
    int64_t left = (int64_t)wall_ms - (pt_platform_now_ms() - start);
    HANDLE waits[2] = {r.process, r.reader};
    bool timed_out = false;
    DWORD w = WaitForMultipleObjects(2, waits, FALSE, left > 0 ? (DWORD)left : 0);
    if (w == WAIT_OBJECT_0 + 1) {            /* the reader stopped first */
        if (r.too_much) {
            TerminateJobObject(r.job, ISO_KILLED);
        } else {
            left = (int64_t)wall_ms - (pt_platform_now_ms() - start);
            if (WaitForSingleObject(r.process, left > 0 ? (DWORD)left : 0) != WAIT_OBJECT_0)
                timed_out = true;
        }
    } else if (w != WAIT_OBJECT_0) {
        timed_out = true;
    }
    if (timed_out)
        TerminateJobObject(r.job, ISO_KILLED);
    WaitForSingleObject(r.process, INFINITE);
    WaitForSingleObject(r.reader, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(r.process, &code);
    iso_close(&r);
    if (r.too_much)
        return pt_error_set(err, PT_ELIMIT, "", "output larger than %zu bytes", max_out);
    if (timed_out || code == ERROR_NOT_ENOUGH_QUOTA)   /* the job's CPU time limit */
        return pt_error_set(err, PT_ELIMIT, "", "time limit of %u ms exceeded", wall_ms);
    if (code == ISO_EXIT_WRONG_IMAGE)
        return pt_error_set(err, PT_EIO, "", "the program file changed while it ran: "
                            "run pooltriage again");
    if (code != ISO_EXIT_OK)
        return pt_error_set(err, PT_EIO, "", "exited with status %lu", (unsigned long)code);
    return PT_OK;
}
