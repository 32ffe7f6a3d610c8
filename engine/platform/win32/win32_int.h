/*
 * win32_int.h - what the Windows files of the platform layer share.
 * Private to engine/platform/win32.
 */
#ifndef PT_WIN32_INT_H
#define PT_WIN32_INT_H

#include <wchar.h>

/* UTF-8 as UTF-16, pt_malloc'd; NULL when it does not convert or on out
 * of memory. */
wchar_t *pt_win_wide(const char *s);
/* This executable's path (GetModuleFileNameW), pt_malloc'd, or NULL. */
wchar_t *pt_win_self_path(void);

#endif /* PT_WIN32_INT_H */
