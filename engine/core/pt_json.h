/*
 * pt_json.h - the JSON helpers the engine's writers share (core/json.c).
 */
#ifndef PT_JSON_H
#define PT_JSON_H

#include "pooltriage/core.h"
#include "pooltriage/text.h"   /* pt_json_str and the other JSON cleaners */

#endif /* PT_JSON_H */
