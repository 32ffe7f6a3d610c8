/*
 * pooltriage.h - the public API of the pooltriage engine, one header per
 * stage: collect -> rank -> scan -> describe -> attribute -> judge (kb,
 * rules) -> report, with triage calling them in order and fleet grouping
 * many verdicts.  The library never prints: results leave it as data and
 * errors as pt_error.  Memory a stage produces belongs to the pt_arena
 * passed to it.
 */
#ifndef POOLTRIAGE_H
#define POOLTRIAGE_H

#include "core.h"
#include "text.h"
#include "collect.h"
#include "archive.h"
#include "rank.h"
#include "describe.h"
#include "scan.h"
#include "attribute.h"
#include "kb.h"
#include "rules.h"
#include "triage.h"
#include "report.h"
#include "fleet.h"
#include "limits.h"
#include "platform.h"
#include "live.h"

#endif /* POOLTRIAGE_H */
