/*
 * pt_limits.h - every limit the engine enforces on untrusted input, in one
 * place.  Each has one comment saying why it has the value it has.
 */
#ifndef PT_LIMITS_H
#define PT_LIMITS_H

/* A capture larger than this is refused: real poolmon/!poolused text is a
 * few MB even with thousands of tags. */
#define PT_MAX_CAPTURE_BYTES (256u * 1024u * 1024u)

/* A line longer than this in a capture is skipped as garbage. */
#define PT_MAX_LINE_BYTES 4096u

/* Rows kept per capture: one per tag and pool type, and a real system has
 * at most a few thousand tags; past this a "capture" is a trick. */
#define PT_MAX_CAPTURE_ROWS 262144u
/* Skipped rows listed per capture; a text full of garbage needs no more to
 * show what is wrong with it. */
#define PT_MAX_CAPTURE_ISSUES 1000u

/* PE files larger than this are scanned for tags but not parsed whole;
 * real drivers are a few MB, ntoskrnl.exe about 10 MB. */
#define PT_MAX_PE_BYTES (128u * 1024u * 1024u)

/* Sections beyond this count are ignored (the format allows 96 in practice). */
#define PT_MAX_SECTIONS 96u

/* Import descriptors and names read per file. */
#define PT_MAX_IMPORT_DLLS 256u
#define PT_MAX_IMPORTS_PER_DLL 4096u

/* Resource directory: depth 3 is type/name/language; anything deeper is
 * a loop or a trick. */
#define PT_MAX_RESOURCE_DEPTH 3u
/* Entries read per resource directory. */
#define PT_MAX_RESOURCE_ENTRIES 4096u
/* Resource directories visited per file; the RT_VERSION subtree of
 * kernel32.dll has 38, so more means a crafted maze of overlapping ones. */
#define PT_MAX_RESOURCE_DIRS 1024u
/* RT_VERSION resources read per file (kernel32.dll has 36). */
#define PT_MAX_VERSION_RESOURCES 64u
/* Nesting of VS_VERSIONINFO children (VS_VERSIONINFO/StringFileInfo/table/string). */
#define PT_MAX_VERSION_DEPTH 4u
/* String tables kept per file. */
#define PT_MAX_STRING_TABLES 64u

/* Evidence offsets kept per tag per file; the rest only counted. */
#define PT_MAX_HITS_PER_TAG 16u

/* Tags in one scan. */
#define PT_MAX_TAGS 65536u

/* Files visited per driver folder walk, and folder depth. */
#define PT_MAX_WALK_FILES 200000u
#define PT_MAX_WALK_DEPTH 16u

/* Rule and KB source files larger than this are refused. */
#define PT_MAX_RULE_BYTES (1024u * 1024u)

/* Lua: memory per rule state, and VM instructions per rule run. */
#define PT_LUA_MEMORY_CAP (64u * 1024u * 1024u)
#define PT_LUA_INSTRUCTION_BUDGET 50000000L

/* Read buffer per scanning thread (measured faster than mmap, DESIGN.md 4). */
#define PT_SCAN_BUFFER_BYTES (256u * 1024u)

#endif /* PT_LIMITS_H */
