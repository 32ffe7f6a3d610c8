/*
 * pt_json.h - the JSON helpers the engine's writers share (core/json.c).
 */
#ifndef PT_JSON_H
#define PT_JSON_H

#include "pooltriage/core.h"


struct cJSON;
/* A JSON string, or JSON null for NULL (the contract never omits a field). */
struct cJSON *pt_json_str(const char *s);

#endif /* PT_JSON_H */
