/*
 * json.c - core: the JSON helpers every writer shares (report, judge).
 */
#include "pooltriage/pooltriage.h"
#include "pt_json.h"

#include <cjson/cJSON.h>

cJSON *pt_json_str(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}
