/*
 * fetch.c - the network module.  For now it only reports its backend; the
 * signed update client and the link checker live here.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"

#include <curl/curl.h>

const char *pt_fetch_backend(void) { return curl_version(); }
