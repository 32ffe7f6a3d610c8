/*
 * platform_win32.c - platform layer on Windows (pooltriage/platform.h):
 * UTF-8 paths opened through the wide-character APIs with the \\?\ prefix
 * (long paths, drive letters, UNC names), folder walks, Win32 threads, the
 * console and the per-user folder (the isolated rule run: isolate_win32.c).
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "platform_int.h"
#include "win32_int.h"
#include "pooltriage/limits.h"

#include <windows.h>
#include <shellapi.h>
#include <aclapi.h>

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

/* ---- UTF-8 <-> UTF-16 ---- */

wchar_t *pt_win_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = pt_malloc((size_t)n * sizeof *w);
    if (w && MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0) {
        pt_free(w);
        w = NULL;
    }
    return w;
}

static char *to_utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = pt_malloc((size_t)n);
    if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) <= 0) {
        pt_free(s);
        s = NULL;
    }
    return s;
}

static void set_errno_from(DWORD e)
{
    switch (e) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME: errno = ENOENT; break;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION: errno = EACCES; break;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS: errno = EEXIST; break;
    case ERROR_DIR_NOT_EMPTY: errno = ENOTEMPTY; break;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY: errno = ENOMEM; break;
    case ERROR_DISK_FULL: errno = ENOSPC; break;
    default: errno = EIO; break;
    }
}

/* A UTF-8 path as an absolute wide path with the \\?\ prefix, so that
 * paths longer than MAX_PATH work: "C:\x" -> "\\?\C:\x", "\\srv\share\x"
 * -> "\\?\UNC\srv\share\x"; relative paths and '/' are resolved first.
 * "NUL", "CON" and friends are left alone (devices). */
static wchar_t *long_path(const char *path)
{
    wchar_t *w = pt_win_wide(path);
    if (w == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    if (wcsncmp(w, L"\\\\?\\", 4) == 0 || wcsncmp(w, L"\\\\.\\", 4) == 0 || w[0] == 0)
        return w;
    DWORD n = GetFullPathNameW(w, 0, NULL, NULL);
    if (n == 0) {
        set_errno_from(GetLastError());
        pt_free(w);
        return NULL;
    }
    wchar_t *full = pt_malloc(((size_t)n + 1) * sizeof *full);
    DWORD got = full ? GetFullPathNameW(w, n, full, NULL) : 0;
    pt_free(w);
    if (got == 0 || got >= n) {
        if (full)
            set_errno_from(GetLastError());
        else
            errno = ENOMEM;
        pt_free(full);
        return NULL;
    }
    if (wcsncmp(full, L"\\\\.\\", 4) == 0)   /* a device: as it is */
        return full;
    bool unc = full[0] == L'\\' && full[1] == L'\\';
    const wchar_t *prefix = unc ? L"\\\\?\\UNC" : L"\\\\?\\";
    const wchar_t *rest = unc ? full + 1 : full;   /* "\srv\share" keeps one '\\' */
    size_t lp = wcslen(prefix), lr = wcslen(rest);
    wchar_t *r = pt_malloc((lp + lr + 1) * sizeof *r);
    if (r) {
        memcpy(r, prefix, lp * sizeof *r);
        memcpy(r + lp, rest, (lr + 1) * sizeof *r);
    } else {
        errno = ENOMEM;
    }
    pt_free(full);
    return r;
}

/* ---- files ---- */

static int64_t unix_time(FILETIME ft, int64_t *ns)
{
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    const uint64_t epoch = 116444736000000000ULL; /* 1601 -> 1970 in 100 ns */
    if (t < epoch) {
        *ns = 0;
        return 0;
    }
    t -= epoch;
    *ns = (int64_t)(t % 10000000ULL) * 100;
    return (int64_t)(t / 10000000ULL);
}

bool pt_platform_stat(const char *path, pt_file_info *out)
{
    wchar_t *w = long_path(path);
    if (w == NULL)
        return false;
    WIN32_FILE_ATTRIBUTE_DATA a;
    BOOL ok = GetFileAttributesExW(w, GetFileExInfoStandard, &a);
    pt_free(w);
    if (!ok) {
        set_errno_from(GetLastError());
        return false;
    }
    memset(out, 0, sizeof *out);
    out->is_dir = (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    out->is_file = !out->is_dir && !(a.dwFileAttributes & FILE_ATTRIBUTE_DEVICE);
    out->size = ((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow;
    out->mtime = unix_time(a.ftLastWriteTime, &out->mtime_ns);
    return true;
}

bool pt_platform_fstat(int fd, pt_file_info *out)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    if (h == INVALID_HANDLE_VALUE) {
        errno = EBADF;
        return false;
    }
    memset(out, 0, sizeof *out);
    DWORD type = GetFileType(h);
    if (type != FILE_TYPE_DISK) {
        out->is_file = false;
        return true;
    }
    BY_HANDLE_FILE_INFORMATION fi;
    if (!GetFileInformationByHandle(h, &fi)) {
        set_errno_from(GetLastError());
        return false;
    }
    out->is_dir = (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    out->is_file = !out->is_dir;
    out->size = ((uint64_t)fi.nFileSizeHigh << 32) | fi.nFileSizeLow;
    out->mtime = unix_time(fi.ftLastWriteTime, &out->mtime_ns);
    out->ino = ((uint64_t)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
    return true;
}

bool pt_platform_is_dir(const char *path)
{
    pt_file_info st;
    return pt_platform_stat(path, &st) && st.is_dir;
}

bool pt_platform_is_file(const char *path)
{
    pt_file_info st;
    return pt_platform_stat(path, &st) && st.is_file;
}

int64_t pt_platform_mtime(const char *path)
{
    pt_file_info st;
    return pt_platform_stat(path, &st) ? st.mtime : -1;
}

bool pt_platform_exists(const char *path)
{
    pt_file_info st;
    return pt_platform_stat(path, &st);
}

bool pt_platform_can_read(const char *path)
{
    int fd = pt_platform_open(path, PT_OPEN_READ);
    if (fd < 0) {
        pt_file_info st;   /* a folder can't be opened as a file, but is readable */
        return pt_platform_stat(path, &st) && st.is_dir;
    }
    _close(fd);
    return true;
}

bool pt_platform_can_exec(const char *path) { return pt_platform_is_file(path); }

int pt_platform_open(const char *path, pt_open_mode mode)
{
    DWORD access = GENERIC_READ, disp = OPEN_EXISTING;
    int flags = _O_BINARY | _O_NOINHERIT;
    switch (mode) {
    case PT_OPEN_READ: flags |= _O_RDONLY; break;
    case PT_OPEN_CREATE: access = GENERIC_WRITE; disp = CREATE_ALWAYS; flags |= _O_WRONLY; break;
    case PT_OPEN_EXCL:   /* read too, as mkstemp's: a temporary file is read back */
        access = GENERIC_READ | GENERIC_WRITE; disp = CREATE_NEW; flags |= _O_RDWR; break;
    case PT_OPEN_APPEND:
        access = FILE_APPEND_DATA; disp = OPEN_ALWAYS; flags |= _O_WRONLY | _O_APPEND; break;
    case PT_OPEN_RW: access = GENERIC_READ | GENERIC_WRITE; disp = OPEN_ALWAYS; flags |= _O_RDWR; break;
    }
    wchar_t *w = long_path(path);
    if (w == NULL)
        return -1;
    /* FILE_SHARE_DELETE: a file we read may be renamed over, as on POSIX */
    HANDLE h = CreateFileW(w, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, disp, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS, NULL);
    pt_free(w);
    if (h == INVALID_HANDLE_VALUE) {
        set_errno_from(GetLastError());
        return -1;
    }
    BY_HANDLE_FILE_INFORMATION fi;
    if (GetFileType(h) == FILE_TYPE_DISK && GetFileInformationByHandle(h, &fi) &&
        (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) && mode != PT_OPEN_READ) {
        CloseHandle(h);
        errno = EISDIR;
        return -1;
    }
    int fd = _open_osfhandle((intptr_t)h, flags);
    if (fd < 0)
        CloseHandle(h);
    return fd;
}

int64_t pt_platform_read(int fd, void *buf, size_t len)
{
    unsigned n = len > (1u << 30) ? (1u << 30) : (unsigned)len;
    return (int64_t)_read(fd, buf, n);
}

bool pt_platform_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        unsigned n = len > (1u << 30) ? (1u << 30) : (unsigned)len;
        int w = _write(fd, p, n);
        if (w <= 0)
            return false;
        p += w;
        len -= (size_t)w;
    }
    return true;
}

int pt_platform_close(int fd) { return _close(fd); }
int pt_platform_dup(int fd) { return _dup(fd); }
int64_t pt_platform_seek(int fd, int64_t off) { return _lseeki64(fd, off, SEEK_SET); }
int pt_platform_sync(int fd) { return _commit(fd); }
int pt_platform_truncate(int fd, uint64_t len) { return _chsize_s(fd, (__int64)len) == 0 ? 0 : -1; }

bool pt_platform_sync_path(const char *path, bool dir)
{
    if (dir)
        return true;   /* NTFS has no folder fsync; the rename is journaled */
    int fd = pt_platform_open(path, PT_OPEN_RW);
    if (fd < 0)
        return false;
    bool ok = _commit(fd) == 0;
    return _close(fd) == 0 && ok;
}

/* Whom an allow ACE may name on a private file: its owner, the user
 * running pooltriage, SYSTEM, the Administrators, CREATOR OWNER. */
static bool private_sid(PSID sid, PSID owner, PSID user)
{
    return (owner && EqualSid(sid, owner)) || (user && EqualSid(sid, user)) ||
           IsWellKnownSid(sid, WinLocalSystemSid) ||
           IsWellKnownSid(sid, WinBuiltinAdministratorsSid) ||
           IsWellKnownSid(sid, WinCreatorOwnerSid);
}

bool pt_platform_owner_only(int fd)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    PSID owner = NULL;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    if (h == INVALID_HANDLE_VALUE ||
        GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION |
                        DACL_SECURITY_INFORMATION, &owner, NULL, &dacl, NULL, &sd) !=
            ERROR_SUCCESS)
        return false;
    char user_buf[256];
    PSID user = NULL;
    HANDLE tok;
    DWORD got;
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
        if (GetTokenInformation(tok, TokenUser, user_buf, sizeof user_buf, &got))
            user = ((TOKEN_USER *)user_buf)->User.Sid;
        CloseHandle(tok);
    }
    bool ok = dacl != NULL;   /* a NULL DACL lets everyone in */
    for (DWORD i = 0; ok && i < dacl->AceCount; i++) {
        ACE_HEADER *ace;
        if (!GetAce(dacl, i, (void **)&ace)) {
            ok = false;
        } else if (ace->AceType == ACCESS_ALLOWED_ACE_TYPE) {
            ACCESS_ALLOWED_ACE *a = (ACCESS_ALLOWED_ACE *)ace;
            if (a->Mask & (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL))
                ok = private_sid((PSID)&a->SidStart, owner, user);
        } else if (ace->AceType != ACCESS_DENIED_ACE_TYPE) {
            ok = false;   /* an allow of a kind not read here: not known private */
        }
    }
    LocalFree(sd);
    return ok;
}

int pt_platform_chmod(const char *path, unsigned mode)
{
    wchar_t *w = long_path(path);
    if (w == NULL)
        return -1;
    int rc = _wchmod(w, (mode & 0200) ? (_S_IREAD | _S_IWRITE) : _S_IREAD);
    pt_free(w);
    return rc;
}

const char *pt_platform_private_hint(void)
{
    return "remove every other user's access: icacls FILE /inheritance:r "
           "/grant:r \"%USERNAME%\":F";
}

int pt_platform_chmod_default(int fd)
{
    (void)fd;
    return 0;
}

int pt_platform_lock(int fd, bool wait)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    DWORD flags = LOCKFILE_EXCLUSIVE_LOCK | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
    if (h == INVALID_HANDLE_VALUE || !LockFileEx(h, flags, 0, MAXDWORD, MAXDWORD, &ov)) {
        errno = EWOULDBLOCK;
        return -1;
    }
    return 0;
}

/* Replaces the trailing XXXXXX with letters from a per-process sequence. */
static bool fill_template(char *t, unsigned attempt)
{
    size_t n = strlen(t);
    if (n < 6 || strcmp(t + n - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return false;
    }
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static volatile LONG seq;
    uint64_t v = ((uint64_t)GetCurrentProcessId() << 32) ^ GetTickCount64() ^
                 ((uint64_t)InterlockedIncrement(&seq) * 2654435761u) ^ attempt;
    for (int i = 0; i < 6; i++) {
        t[n - 6 + i] = chars[v % 36];
        v /= 36;
    }
    return true;
}

int pt_platform_temp_file(char *path_template)
{
    size_t n = strlen(path_template);
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        if (attempt)
            memcpy(path_template + n - 6, "XXXXXX", 6);
        if (!fill_template(path_template, attempt))
            return -1;
        int fd = pt_platform_open(path_template, PT_OPEN_EXCL);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

char *pt_platform_make_temp_dir(char *path_template)
{
    size_t n = strlen(path_template);
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        if (attempt)
            memcpy(path_template + n - 6, "XXXXXX", 6);
        if (!fill_template(path_template, attempt))
            return NULL;
        wchar_t *w = long_path(path_template);
        if (w == NULL)
            return NULL;
        BOOL ok = CreateDirectoryW(w, NULL);
        DWORD e = GetLastError();
        pt_free(w);
        if (ok)
            return path_template;
        if (e != ERROR_ALREADY_EXISTS) {
            set_errno_from(e);
            return NULL;
        }
    }
    return NULL;
}

const char *pt_platform_temp_root(void)
{
    static char root[MAX_PATH * 4];
    wchar_t w[MAX_PATH + 1];
    DWORD n = GetTempPathW(MAX_PATH + 1, w);
    if (n == 0 || n > MAX_PATH)
        return ".";
    if (n > 3 && w[n - 1] == L'\\')
        w[n - 1] = 0;
    char *s = to_utf8(w);
    if (s == NULL || strlen(s) >= sizeof root) {
        pt_free(s);
        return ".";
    }
    strcpy(root, s);
    pt_free(s);
    return root;
}

char *pt_platform_realpath(const char *path)
{
    wchar_t *w = pt_win_wide(path);
    if (w == NULL)
        return NULL;
    wchar_t full[32768];
    DWORD n = GetFullPathNameW(w, 32768, full, NULL);
    pt_free(w);
    if (n == 0 || n >= 32768)
        return NULL;
    return to_utf8(full);
}

/* Runs a wide-path operation on path; -1 with errno on failure. */
#define WIDE_CALL(path, call)                      \
    do {                                           \
        wchar_t *w = long_path(path);              \
        if (w == NULL)                             \
            return -1;                             \
        BOOL ok_ = (call);                         \
        DWORD e_ = GetLastError();                 \
        pt_free(w);                                \
        if (!ok_) {                                \
            set_errno_from(e_);                    \
            return -1;                             \
        }                                          \
        return 0;                                  \
    } while (0)

int pt_platform_remove(const char *path) { WIDE_CALL(path, DeleteFileW(w)); }
int pt_platform_rmdir(const char *path) { WIDE_CALL(path, RemoveDirectoryW(w)); }

int pt_platform_mkdir(const char *path)
{
    wchar_t *w = long_path(path);
    if (w == NULL)
        return -1;
    BOOL ok = CreateDirectoryW(w, NULL);
    DWORD e = GetLastError();
    pt_free(w);
    if (ok || (e == ERROR_ALREADY_EXISTS && pt_platform_is_dir(path)))
        return 0;
    /* "C:\" and "\\srv\share" themselves can't be created but exist */
    if ((e == ERROR_ACCESS_DENIED || e == ERROR_INVALID_NAME) && pt_platform_is_dir(path))
        return 0;
    set_errno_from(e);
    return -1;
}

int pt_platform_rename(const char *from, const char *to)
{
    wchar_t *a = long_path(from), *b = a ? long_path(to) : NULL;
    BOOL ok = a && b && MoveFileExW(a, b, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
    DWORD e = GetLastError();
    pt_free(a);
    pt_free(b);
    if (!ok) {
        set_errno_from(e);
        return -1;
    }
    return 0;
}

int pt_platform_link(const char *from, const char *to)
{
    wchar_t *a = long_path(from), *b = a ? long_path(to) : NULL;
    BOOL ok = a && b && CreateHardLinkW(b, a, NULL);
    DWORD e = GetLastError();
    pt_free(a);
    pt_free(b);
    if (!ok) {
        set_errno_from(e);
        return -1;
    }
    return 0;
}

int pt_platform_set_mtime(const char *path, int64_t sec, int64_t nsec)
{
    wchar_t *w = long_path(path);
    if (w == NULL)
        return -1;
    HANDLE h = CreateFileW(w, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    pt_free(w);
    if (h == INVALID_HANDLE_VALUE) {
        set_errno_from(GetLastError());
        return -1;
    }
    uint64_t t = (uint64_t)sec * 10000000ULL + (uint64_t)nsec / 100 + 116444736000000000ULL;
    FILETIME ft = {(DWORD)t, (DWORD)(t >> 32)};
    BOOL ok = SetFileTime(h, NULL, NULL, &ft);
    CloseHandle(h);
    return ok ? 0 : -1;
}

pt_code pt_platform_open_input(const char *path, int *out, pt_error *err)
{
    *out = -1;
    int fd = pt_platform_open(path, PT_OPEN_READ);
    if (fd < 0) {
        int e = errno;
        pt_error_set(err, PT_EIO, path, "cannot open: %s", strerror(e));
        errno = e;
        return PT_EIO;
    }
    pt_file_info st;
    if (!pt_platform_fstat(fd, &st) || !st.is_file) {
        _close(fd);
        pt_error_set(err, PT_EIO, path, "not a regular file");
        errno = 0;
        return PT_EIO;
    }
    *out = fd;
    return PT_OK;
}

pt_code pt_platform_fopen_input(const char *path, FILE **out, pt_error *err)
{
    int fd;
    *out = NULL;
    pt_code rc = pt_platform_open_input(path, &fd, err);
    if (rc != PT_OK)
        return rc;
    *out = _fdopen(fd, "rb");
    if (*out == NULL) {
        _close(fd);
        return pt_error_set(err, PT_ENOMEM, path, "out of memory");
    }
    return PT_OK;
}

/* ---- folders ---- */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const pt_dir_entry *)a)->name, ((const pt_dir_entry *)b)->name);
}

void pt_platform_dir_free(pt_dir_entry *e, size_t count)
{
    for (size_t i = 0; i < count; i++)
        pt_free(e[i].name);
    pt_free(e);
}

pt_code pt_platform_dir_read(const char *dir, pt_dir_entry **out, size_t *out_count,
                             pt_error *err)
{
    *out = NULL;
    *out_count = 0;
    char *pattern = pt_path_join(dir, "*");
    wchar_t *w = pattern ? long_path(pattern) : NULL;
    pt_free(pattern);
    if (w == NULL)
        return pt_error_set(err, PT_ENOMEM, dir, "out of memory");
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileExW(w, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
    pt_free(w);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (e == ERROR_FILE_NOT_FOUND && pt_platform_is_dir(dir))
            return PT_OK;   /* an empty drive root */
        set_errno_from(e);
        return pt_error_set(err, PT_EIO, dir, "cannot open folder: %s", strerror(errno));
    }
    pt_dir_entry *items = NULL;
    size_t count = 0, cap = 0;
    pt_code rc = PT_OK;
    do {
        if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
            continue;
        pt_dir_entry e = {.name = to_utf8(fd.cFileName), .size_known = true};
        e.is_link = (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
        e.is_dir = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        e.is_file = !e.is_dir && !(fd.dwFileAttributes & FILE_ATTRIBUTE_DEVICE);
        e.size = ((uint64_t)fd.nFileSizeHigh << 32) | fd.nFileSizeLow;
        if (e.name == NULL || !pt_grow((void **)&items, &cap, count + 1, sizeof *items)) {
            pt_free(e.name);
            rc = pt_error_set(err, PT_ENOMEM, dir, "out of memory");
            break;
        }
        items[count++] = e;
    } while (FindNextFileW(h, &fd));
    FindClose(h);
    if (rc != PT_OK) {
        pt_platform_dir_free(items, count);
        return rc;
    }
    if (count > 1)
        qsort(items, count, sizeof *items, entry_cmp);
    *out = items;
    *out_count = count;
    return PT_OK;
}

pt_code pt_platform_names(const char *dir, char ***out, size_t *out_count, pt_error *err)
{
    pt_dir_entry *e;
    size_t count;
    *out = NULL;
    *out_count = 0;
    pt_code rc = pt_platform_dir_read(dir, &e, &count, err);
    if (rc != PT_OK)
        return rc;
    char **names = pt_malloc((count ? count : 1) * sizeof *names);
    if (names == NULL) {
        pt_platform_dir_free(e, count);
        return pt_error_set(err, PT_ENOMEM, dir, "out of memory");
    }
    for (size_t i = 0; i < count; i++)
        names[i] = e[i].name;
    pt_free(e);
    *out = names;
    *out_count = count;
    return PT_OK;
}

void pt_platform_names_free(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        pt_free(names[i]);
    pt_free(names);
}

char *pt_platform_find_ci(const char *dir, const char *name)
{
    char **names;
    size_t count;
    if (pt_platform_names(dir, &names, &count, NULL) != PT_OK)
        return NULL;
    char *found = NULL;
    for (size_t i = 0; i < count && found == NULL; i++)
        if (pt_strcasecmp(names[i], name) == 0)
            found = pt_path_join(dir, names[i]);
    pt_platform_names_free(names, count);
    return found;
}

pt_code pt_platform_list(const char *dir, char ***out, size_t *out_count, pt_error *err)
{
    pt_dir_entry *e;
    size_t count;
    *out = NULL;
    *out_count = 0;
    pt_code rc = pt_platform_dir_read(dir, &e, &count, err);
    if (rc != PT_OK)
        return rc;
    char **paths = pt_malloc((count ? count : 1) * sizeof *paths);
    size_t kept = 0;
    for (size_t i = 0; paths && i < count; i++) {
        if (!e[i].is_file)
            continue;
        char *p = pt_path_join(dir, e[i].name);
        if (p == NULL) {
            pt_platform_names_free(paths, kept);
            paths = NULL;
            break;
        }
        paths[kept++] = p;
    }
    pt_platform_dir_free(e, count);
    if (paths == NULL)
        return pt_error_set(err, PT_ENOMEM, dir, "out of memory");
    (void)name_cmp;
    *out = paths;
    *out_count = kept;
    return PT_OK;
}

/* ---- threads ---- */

struct pt_thread {
    HANDLE h;
    void (*fn)(void *);
    void *arg;
};

struct pt_mutex {
    SRWLOCK lock;
};

static unsigned __stdcall thread_main(void *p)
{
    pt_thread *t = p;
    t->fn(t->arg);
    return 0;
}

pt_code pt_thread_start(pt_thread **out, void (*fn)(void *arg), void *arg)
{
    *out = NULL;
    pt_thread *t = pt_malloc(sizeof *t);
    if (t == NULL)
        return PT_ENOMEM;
    t->fn = fn;
    t->arg = arg;
    uintptr_t h = _beginthreadex(NULL, 0, thread_main, t, 0, NULL);
    if (h == 0) {
        pt_free(t);
        return PT_EIO;
    }
    t->h = (HANDLE)h;
    *out = t;
    return PT_OK;
}

void pt_thread_join(pt_thread *t)
{
    if (t == NULL)
        return;
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    pt_free(t);
}

pt_mutex *pt_mutex_new(void)
{
    pt_mutex *m = pt_malloc(sizeof *m);
    if (m)
        InitializeSRWLock(&m->lock);
    return m;
}

void pt_mutex_lock(pt_mutex *m) { AcquireSRWLockExclusive(&m->lock); }
void pt_mutex_unlock(pt_mutex *m) { ReleaseSRWLockExclusive(&m->lock); }
void pt_mutex_free(pt_mutex *m) { pt_free(m); }

/* ---- processes ---- */

unsigned long pt_platform_pid(void) { return (unsigned long)GetCurrentProcessId(); }

wchar_t *pt_win_self_path(void)
{
    for (DWORD cap = MAX_PATH; cap <= 65536; cap *= 2) {
        wchar_t *w = pt_malloc(cap * sizeof *w);
        if (w == NULL)
            return NULL;
        DWORD n = GetModuleFileNameW(NULL, w, cap);
        if (n > 0 && n < cap)
            return w;
        pt_free(w);
        if (n == 0)
            return NULL;
    }
    return NULL;
}

char *pt_platform_self_exe(void)
{
    wchar_t *w = pt_win_self_path();
    char *s = w ? to_utf8(w) : NULL;
    pt_free(w);
    return s;
}

char *pt_platform_exe_dir(void)
{
    char *exe = pt_platform_self_exe();
    if (exe == NULL)
        return NULL;
    const char *base = pt_path_base(exe);
    if (base == exe) {
        pt_free(exe);
        return NULL;
    }
    size_t len = (size_t)(base - exe);
    if (len > 1 && pt_path_is_sep(exe[len - 1]) && !(len == 3 && exe[1] == ':'))
        len--;
    exe[len] = '\0';
    return exe;
}

/* Appends one argument to a command line, quoted the way
 * CommandLineToArgvW and the C runtime read it back. */
static bool quote_arg(pt_buf *b, const char *arg)
{
    if (arg[0] && strpbrk(arg, " \t\n\v\"") == NULL) {
        pt_buf_puts(b, arg);
        return !b->failed;
    }
    pt_buf_puts(b, "\"");
    for (const char *p = arg;; p++) {
        size_t slashes = 0;
        while (*p == '\\') {
            p++;
            slashes++;
        }
        if (*p == '\0') {
            for (size_t i = 0; i < slashes * 2; i++)
                pt_buf_puts(b, "\\");
            break;
        }
        size_t n = *p == '"' ? slashes * 2 + 1 : slashes;
        for (size_t i = 0; i < n; i++)
            pt_buf_puts(b, "\\");
        pt_buf_append(b, p, 1);
    }
    pt_buf_puts(b, "\"");
    return !b->failed;
}

/* Starts path with argv and the given standard handles; the process. */
static HANDLE spawn(const char *path, char *const argv[], HANDLE in, HANDLE out, HANDLE errh,
                    DWORD flags)
{
    pt_buf cmd = {0};
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            pt_buf_puts(&cmd, " ");
        quote_arg(&cmd, argv[i]);
    }
    pt_buf_append(&cmd, "", 1);
    wchar_t *wpath = cmd.failed ? NULL : pt_win_wide(path);
    wchar_t *wcmd = wpath ? pt_win_wide(cmd.data) : NULL;
    pt_buf_free(&cmd);
    if (wcmd == NULL) {
        pt_free(wpath);
        errno = ENOMEM;
        return NULL;
    }
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in;
    si.hStdOutput = out;
    si.hStdError = errh;
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessW(wpath, wcmd, NULL, NULL, TRUE, flags, NULL, NULL, &si, &pi);
    DWORD e = GetLastError();
    pt_free(wpath);
    pt_free(wcmd);
    if (!ok) {
        set_errno_from(e);
        return NULL;
    }
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

int pt_platform_exec(const char *path, char *const argv[])
{
    fflush(NULL);
    HANDLE p = spawn(path, argv, GetStdHandle(STD_INPUT_HANDLE), GetStdHandle(STD_OUTPUT_HANDLE),
                     GetStdHandle(STD_ERROR_HANDLE), 0);
    if (p == NULL)
        return -1;
    WaitForSingleObject(p, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(p, &code);
    CloseHandle(p);
    exit((int)code);
}

int64_t pt_platform_now_ms(void) { return (int64_t)GetTickCount64(); }

char **pt_platform_utf8_argv(int argc, char **argv)
{
    int n = 0;
    wchar_t **w = CommandLineToArgvW(GetCommandLineW(), &n);
    if (w == NULL || n != argc) {
        if (w)
            LocalFree(w);
        return argv;
    }
    char **out = pt_calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; out && i < n; i++)
        if ((out[i] = to_utf8(w[i])) == NULL)
            out = NULL;   /* leaks what was converted: it lives until exit anyway */
    LocalFree(w);
    return out ? out : argv;
}

void pt_platform_soft_write_limits(void) {}

void pt_platform_sleep_ms(unsigned ms) { Sleep(ms); }

unsigned pt_platform_cpu_count(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwNumberOfProcessors ? (unsigned)si.dwNumberOfProcessors : 1;
}

const char *pt_platform_getenv(const char *name) { return getenv(name); }
int pt_platform_setenv(const char *name, const char *value)
{
    return _putenv_s(name, value) == 0 ? 0 : -1;
}

/* The isolated run: isolate_win32.c. */

/* ---- terminal and places ---- */

bool pt_platform_isatty(FILE *f)
{
    HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));
    DWORD mode;
    return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}

bool pt_platform_console_init(void)
{
    /* reports are bytes: no "\n" -> "\r\n" rewriting on pipes and files */
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    SetConsoleOutputCP(CP_UTF8);
    HANDLE h = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode;
    if (h == INVALID_HANDLE_VALUE || !GetConsoleMode(h, &mode))
        return false;
    return SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
}

static char *env_utf8(const wchar_t *name)
{
    wchar_t buf[32768];
    DWORD n = GetEnvironmentVariableW(name, buf, 32768);
    if (n == 0 || n >= 32768)
        return NULL;
    return to_utf8(buf);
}

char *pt_platform_user_dir(pt_user_dir kind)
{
    (void)kind;   /* state, cache, data and config all live in one folder */
    char *own = env_utf8(L"POOLTRIAGE_HOME");   /* a portable install, the tests */
    if (own != NULL && own[0] != '\0')
        return own;
    pt_free(own);
    char *base = env_utf8(L"LOCALAPPDATA");
    if (base == NULL) {
        char *home = env_utf8(L"USERPROFILE");
        char *app = home ? pt_path_join(home, "AppData") : NULL;
        base = app ? pt_path_join(app, "Local") : NULL;
        pt_free(home);
        pt_free(app);
    }
    char *dir = base ? pt_path_join(base, "pooltriage") : NULL;
    pt_free(base);
    return dir;
}

/* ---- the live host ---- */

typedef LONG(NTAPI *nt_query_fn)(ULONG cls, PVOID buf, ULONG len, PULONG ret);

#define SYSTEM_MODULE_INFORMATION 11
#define SYSTEM_POOLTAG_INFORMATION 22
#define NT_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)
#define NT_INVALID_INFO_CLASS ((LONG)0xC0000003)
#define NT_NOT_IMPLEMENTED ((LONG)0xC0000002)
#define NT_ACCESS_DENIED ((LONG)0xC0000022)

static bool elevated(void)
{
    HANDLE tok;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
        return false;
    TOKEN_ELEVATION e;
    DWORD n = 0;
    BOOL ok = GetTokenInformation(tok, TokenElevation, &e, sizeof e, &n);
    CloseHandle(tok);
    return ok && e.TokenIsElevated;
}

static bool wow64(void)
{
    BOOL w = FALSE;
    return IsWow64Process(GetCurrentProcess(), &w) && w;
}

pt_code pt_platform_live_query(pt_live_source what, uint8_t **out, size_t *len, pt_error *err)
{
    *out = NULL;
    *len = 0;
    const char *name = what == PT_LIVE_POOLTAGS ? "pool tags" : "loaded modules";
    if (wow64())
        return pt_error_set(err, PT_EIO, "--live", "a 32-bit process on 64-bit Windows can't "
                            "read the kernel's %s: run the 64-bit pooltriage.exe", name);
    if (!elevated())
        return pt_error_set(err, PT_EIO, "--live", "not elevated: run pooltriage.exe from an "
                            "Administrator prompt (Run as administrator)");
    nt_query_fn q = (nt_query_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                                "NtQuerySystemInformation");
    if (q == NULL)
        return pt_error_set(err, PT_EIO, "--live", "this system has no "
                            "NtQuerySystemInformation: give a poolmon capture file");
    ULONG cls = what == PT_LIVE_POOLTAGS ? SYSTEM_POOLTAG_INFORMATION : SYSTEM_MODULE_INFORMATION;
    ULONG cap = 256 * 1024;
    for (int tries = 0; tries < 8; tries++) {
        uint8_t *buf = pt_malloc(cap);
        if (buf == NULL)
            return pt_error_set(err, PT_ENOMEM, "--live", "out of memory");
        ULONG ret = 0;
        LONG st = q(cls, buf, cap, &ret);
        if (st >= 0) {
            *out = buf;
            *len = ret && ret <= cap ? ret : cap;
            return PT_OK;
        }
        pt_free(buf);
        if (st == NT_INFO_LENGTH_MISMATCH) {
            cap = ret > cap ? ret + 64 * 1024 : cap * 2;   /* tags come and go */
            continue;
        }
        if (st == NT_INVALID_INFO_CLASS || st == NT_NOT_IMPLEMENTED)
            return pt_error_set(err, PT_EIO, "--live", "this system does not give the kernel's "
                                "%s (NtQuerySystemInformation class %lu: status 0x%08lX; Wine "
                                "has no live pool): give a poolmon capture file instead",
                                name, (unsigned long)cls, (unsigned long)st);
        if (st == NT_ACCESS_DENIED)
            return pt_error_set(err, PT_EIO, "--live", "access denied reading the kernel's %s: "
                                "run pooltriage.exe from an Administrator prompt", name);
        return pt_error_set(err, PT_EIO, "--live", "reading the kernel's %s failed with status "
                            "0x%08lX", name, (unsigned long)st);
    }
    return pt_error_set(err, PT_EIO, "--live", "the kernel's %s kept growing while read", name);
}

pt_code pt_platform_live_os(char *out, size_t len, pt_error *err)
{
    typedef LONG(NTAPI *version_fn)(OSVERSIONINFOW *);
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    version_fn get = ntdll ? (version_fn)(void (*)(void))GetProcAddress(ntdll, "RtlGetVersion")
                           : NULL;
    OSVERSIONINFOW vi;
    memset(&vi, 0, sizeof vi);
    vi.dwOSVersionInfoSize = sizeof vi;
    if (len)
        out[0] = '\0';
    if (get == NULL || get(&vi) != 0)   /* STATUS_SUCCESS */
        return pt_error_set(err, PT_EIO, "--live", "RtlGetVersion failed: the OS version is "
                            "not known; give --os");
    DWORD ubr = 0, size = sizeof ubr;
    bool has_ubr = RegGetValueW(HKEY_LOCAL_MACHINE,
                                L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", L"UBR",
                                RRF_RT_REG_DWORD, NULL, &ubr, &size) == ERROR_SUCCESS;
    if (has_ubr)
        snprintf(out, len, "%lu.%lu.%lu.%lu", (unsigned long)vi.dwMajorVersion,
                 (unsigned long)vi.dwMinorVersion, (unsigned long)vi.dwBuildNumber,
                 (unsigned long)ubr);
    else
        snprintf(out, len, "%lu.%lu.%lu", (unsigned long)vi.dwMajorVersion,
                 (unsigned long)vi.dwMinorVersion, (unsigned long)vi.dwBuildNumber);
    return PT_OK;
}

pt_code pt_platform_live_totals(pt_live_totals *out, pt_error *err)
{
    MEMORYSTATUSEX ms;
    memset(&ms, 0, sizeof ms);
    ms.dwLength = sizeof ms;
    for (int64_t *p = &out->memory_kb; p <= &out->paged_kb; p++)
        *p = PT_UNKNOWN;
    if (!GlobalMemoryStatusEx(&ms))
        return pt_error_set(err, PT_EIO, "--live", "GlobalMemoryStatusEx failed");
    out->memory_kb = (int64_t)(ms.ullTotalPhys / 1024);
    out->avail_kb = (int64_t)(ms.ullAvailPhys / 1024);
    typedef BOOL(WINAPI *perf_fn)(void *, DWORD);
    perf_fn perf = (perf_fn)(void (*)(void))GetProcAddress(LoadLibraryW(L"psapi.dll"),
                                                           "GetPerformanceInfo");
    struct {
        DWORD cb;
        SIZE_T CommitTotal, CommitLimit, CommitPeak, PhysicalTotal, PhysicalAvailable,
            SystemCache, KernelTotal, KernelPaged, KernelNonpaged, PageSize;
        DWORD HandleCount, ProcessCount, ThreadCount;
    } pi;
    memset(&pi, 0, sizeof pi);
    pi.cb = sizeof pi;
    if (perf && perf(&pi, sizeof pi) && pi.PageSize) {
        int64_t page_kb = (int64_t)pi.PageSize / 1024;
        out->commit_kb = (int64_t)pi.CommitTotal * page_kb;
        out->limit_kb = (int64_t)pi.CommitLimit * page_kb;
        out->peak_kb = (int64_t)pi.CommitPeak * page_kb;
        out->nonpaged_kb = (int64_t)pi.KernelNonpaged * page_kb;
        out->paged_kb = (int64_t)pi.KernelPaged * page_kb;
    }
    return PT_OK;
}
