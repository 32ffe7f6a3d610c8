/*
 * kb_schema.h - the SQLite schema of a compiled knowledge base, and the
 * version of it.  kb_build.c creates it; kb.c reads it.  Bump
 * PT_KB_SCHEMA_VERSION on any change and note it in docs/kb.md.
 */
#ifndef PT_KB_SCHEMA_H
#define PT_KB_SCHEMA_H

#define PT_KB_SCHEMA_VERSION "2"

static const char pt_kb_schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE issues(\n"
    "  id TEXT PRIMARY KEY, title TEXT NOT NULL, vendor TEXT NOT NULL,\n"
    "  product TEXT, pool TEXT, severity TEXT NOT NULL, fixed_in TEXT,\n"
    "  symptoms TEXT, workaround TEXT, notes TEXT, confidence TEXT,\n"
    "  author TEXT NOT NULL, date TEXT NOT NULL,\n"
    "  version_field TEXT NOT NULL, version_scheme TEXT, version_numeric TEXT,\n"
    "  source_file TEXT NOT NULL);\n"
    "CREATE TABLE issue_drivers(issue_id TEXT NOT NULL, driver TEXT NOT NULL COLLATE NOCASE);\n"
    "CREATE TABLE issue_tags(issue_id TEXT NOT NULL, tag TEXT NOT NULL);\n"
    "CREATE TABLE affected(issue_id TEXT NOT NULL, range_id TEXT NOT NULL,\n"
    "  min_version TEXT, max_version TEXT, note TEXT);\n"
    "CREATE TABLE os_builds(issue_id TEXT NOT NULL, nt TEXT, build_min INTEGER,\n"
    "  build_max INTEGER, name TEXT);\n"
    "CREATE TABLE refs(issue_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,\n"
    "  title TEXT NOT NULL, url TEXT, archived_url TEXT);\n"
    "CREATE TABLE rules(id TEXT PRIMARY KEY, file TEXT NOT NULL, source TEXT NOT NULL);\n"
    "CREATE TABLE rule_cases(rule_id TEXT NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL,\n"
    "  PRIMARY KEY(rule_id, name));\n"
    "CREATE TABLE tag_sets(id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL,\n"
    "  author TEXT NOT NULL, date TEXT NOT NULL, source_file TEXT NOT NULL);\n"
    "CREATE TABLE tag_set_refs(set_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,\n"
    "  title TEXT NOT NULL, url TEXT, archived_url TEXT);\n"
    "CREATE TABLE tag_facts(fact_id INTEGER PRIMARY KEY, set_id TEXT NOT NULL,\n"
    "  tag TEXT NOT NULL, vendor TEXT, note TEXT);\n"
    "CREATE TABLE tag_fact_drivers(fact_id INTEGER NOT NULL, pattern TEXT NOT NULL);\n"
    "CREATE TABLE tag_fact_leaks(fact_id INTEGER NOT NULL, issue_id TEXT NOT NULL);\n"
    "CREATE INDEX tag_facts_by_tag ON tag_facts(tag);\n"
    "CREATE INDEX issue_tags_by_tag ON issue_tags(tag);\n"
    "CREATE INDEX issue_drivers_by_driver ON issue_drivers(driver);\n"
    "CREATE INDEX issues_by_vendor ON issues(vendor);\n"
    "CREATE INDEX refs_by_issue ON refs(issue_id, seq);\n"
    "CREATE INDEX affected_by_issue ON affected(issue_id);\n"
    "CREATE INDEX os_builds_by_issue ON os_builds(issue_id);\n";

#endif
