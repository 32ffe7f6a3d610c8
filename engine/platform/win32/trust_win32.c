/*
 * trust_win32.c - what Windows itself concludes of a file's signature, as
 * sigcheck reports it: WinVerifyTrust over the embedded Authenticode
 * signature, else over the catalog that this machine's catalog database
 * (CryptCATAdmin*) names for the file's hash.  No network: revocation is
 * not checked and URLs are read from the cache only.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "win32_int.h"

#include <windows.h>
#include <softpub.h>
#include <wintrust.h>
#include <mscat.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

typedef BOOL(WINAPI *acquire2_fn)(HCATADMIN *, const GUID *, const WCHAR *,
                                  const CERT_STRONG_SIGN_PARA *, DWORD);
typedef BOOL(WINAPI *hash2_fn)(HCATADMIN, HANDLE, DWORD *, BYTE *, DWORD);

static LONG verify(WINTRUST_DATA *wd)
{
    GUID action = WINTRUST_ACTION_GENERIC_VERIFY_V2;
    wd->dwStateAction = WTD_STATEACTION_VERIFY;
    LONG r = WinVerifyTrust((HWND)INVALID_HANDLE_VALUE, &action, wd);
    wd->dwStateAction = WTD_STATEACTION_CLOSE;
    WinVerifyTrust((HWND)INVALID_HANDLE_VALUE, &action, wd);
    return r;
}

static void utf8_into(const wchar_t *w, char *out, size_t len)
{
    if (WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)len, NULL, NULL) <= 0)
        out[0] = '\0';
}

/* "0x800B0109: <the system's text, first line>". */
static void describe_result(LONG r, char *out, size_t len)
{
    wchar_t text[256];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             (DWORD)r, 0, text, sizeof text / sizeof *text, NULL);
    char msg[512] = "";
    if (n > 0) {
        text[wcscspn(text, L"\r\n")] = L'\0';
        utf8_into(text, msg, sizeof msg);
    }
    snprintf(out, len, "0x%08lX%s%s", (unsigned long)r, msg[0] ? ": " : "", msg);
}

/* The catalog this machine's database holds for the file open as fh, and
 * WinVerifyTrust over it.  TRUST_E_NOSIGNATURE when no catalog names it. */
static LONG verify_by_catalog(const wchar_t *path, HANDLE fh, WINTRUST_DATA *wd,
                              char *catalog, size_t catalog_len)
{
    HMODULE wt = GetModuleHandleW(L"wintrust.dll");
    acquire2_fn acquire2 = wt ? (acquire2_fn)(void *)GetProcAddress(wt,
                                                  "CryptCATAdminAcquireContext2") : NULL;
    hash2_fn hash2 = wt ? (hash2_fn)(void *)GetProcAddress(wt,
                                          "CryptCATAdminCalcHashFromFileHandle2") : NULL;
    HCATADMIN admin = NULL;
    /* SHA-256 catalogs where Windows has them (8 and later), else SHA-1 */
    bool sha256 = acquire2 && hash2 && acquire2(&admin, NULL, L"SHA256", NULL, 0);
    if (!sha256 && !CryptCATAdminAcquireContext(&admin, NULL, 0))
        return TRUST_E_NOSIGNATURE;
    BYTE hash[64];
    DWORD hlen = sizeof hash;
    BOOL hashed = sha256 ? hash2(admin, fh, &hlen, hash, 0)
                         : CryptCATAdminCalcHashFromFileHandle(fh, &hlen, hash, 0);
    LONG r = TRUST_E_NOSIGNATURE;
    HCATINFO ci = hashed ? CryptCATAdminEnumCatalogFromHash(admin, hash, hlen, 0, NULL) : NULL;
    if (ci) {
        CATALOG_INFO info;
        memset(&info, 0, sizeof info);
        info.cbStruct = sizeof info;
        if (CryptCATCatalogInfoFromContext(ci, &info, 0)) {
            wchar_t tag[2 * sizeof hash + 1];
            for (DWORD i = 0; i < hlen; i++)
                swprintf(tag + 2 * i, 3, L"%02X", hash[i]);
            WINTRUST_CATALOG_INFO wc;
            memset(&wc, 0, sizeof wc);
            wc.cbStruct = sizeof wc;
            wc.pcwszCatalogFilePath = info.wszCatalogFile;
            wc.pcwszMemberFilePath = path;
            wc.pcwszMemberTag = tag;
            wc.pbCalculatedFileHash = hash;
            wc.cbCalculatedFileHash = hlen;
            wc.hCatAdmin = admin;
            wd->dwUnionChoice = WTD_CHOICE_CATALOG;
            wd->pCatalog = &wc;
            r = verify(wd);
            utf8_into(info.wszCatalogFile, catalog, catalog_len);
        }
        CryptCATAdminReleaseCatalogContext(admin, ci, 0);
    }
    CryptCATAdminReleaseContext(admin, 0);
    return r;
}

bool pt_platform_os_trust(const char *path, pt_os_trust *out)
{
    memset(out, 0, sizeof *out);
    wchar_t *w = pt_win_wide(path);
    if (w == NULL)
        return false;
    for (wchar_t *p = w; *p; p++)
        if (*p == L'/')
            *p = L'\\';
    HANDLE fh = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                            OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (fh == INVALID_HANDLE_VALUE) {
        pt_free(w);
        return false;
    }
    WINTRUST_FILE_INFO fi;
    memset(&fi, 0, sizeof fi);
    fi.cbStruct = sizeof fi;
    fi.pcwszFilePath = w;
    fi.hFile = fh;
    WINTRUST_DATA wd;
    memset(&wd, 0, sizeof wd);
    wd.cbStruct = sizeof wd;
    wd.dwUIChoice = WTD_UI_NONE;
    wd.fdwRevocationChecks = WTD_REVOKE_NONE;
    wd.dwUnionChoice = WTD_CHOICE_FILE;
    wd.pFile = &fi;
    wd.dwProvFlags = WTD_CACHE_ONLY_URL_RETRIEVAL | WTD_REVOCATION_CHECK_NONE;
    LONG r = verify(&wd);
    bool embedded = r != TRUST_E_NOSIGNATURE && r != TRUST_E_SUBJECT_FORM_UNKNOWN &&
                    r != TRUST_E_PROVIDER_UNKNOWN;
    if (!embedded) {
        SetFilePointer(fh, 0, NULL, FILE_BEGIN);
        r = verify_by_catalog(w, fh, &wd, out->catalog, sizeof out->catalog);
    }
    CloseHandle(fh);
    pt_free(w);
    snprintf(out->verdict, sizeof out->verdict, "%s",
             r == ERROR_SUCCESS ? "trusted"
             : r == TRUST_E_NOSIGNATURE || r == TRUST_E_SUBJECT_FORM_UNKNOWN ? "unsigned"
                                                                          : "untrusted");
    describe_result(r, out->detail, sizeof out->detail);
    return true;
}
