/*
 * pt_fetch.h - the only code that touches the network (libcurl), linked by
 * the CLI alone.  Issue 6 adds `pooltriage update` and `kb links` here.
 */
#ifndef PT_FETCH_H
#define PT_FETCH_H

#include "pooltriage.h"

/* The libcurl version this build runs with ("libcurl/7.88.1 ..."). */
const char *pt_fetch_backend(void);

#endif
