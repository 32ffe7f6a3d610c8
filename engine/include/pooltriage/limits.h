/*
 * pooltriage/limits.h - every limit the engine enforces on untrusted input, in one
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

/* A pooltag.txt or localtag.txt larger than this is refused: the SDK's
 * pooltag.txt is about 0.5 MB (poolmon itself stops at 1,000,000 bytes). */
#define PT_MAX_TAGFILE_BYTES (16u * 1024u * 1024u)

/* Describing a file never holds it whole: each describing thread reads it
 * through one window of this size (PE headers, imports, resources by
 * offset; the hashes block by block), whatever the file's size. */
#define PT_DESCRIBE_WINDOW (128u * 1024u)
/* A version resource is read at most this long: VS_VERSIONINFO's wLength
 * is 16 bits, so nothing past it is part of the resource. */
#define PT_MAX_VERSION_BLOB 65536u
/* The Authenticode certificate table is read into memory to decode it;
 * real ones are 5-30 KB (dual-signed Microsoft files about 30 KB), so a
 * larger one is reported as not read instead. */
#define PT_MAX_CERT_TABLE_BYTES (2u * 1024u * 1024u)

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

/* Evidence offsets kept per tag per file; the rest only counted.  A real
 * driver uses its tag a few dozen times (WinDivert64.sys: 32). */
#define PT_MAX_HITS_PER_TAG 64u

/* Tags in one scan. */
#define PT_MAX_TAGS 65536u

/* Files visited per driver folder walk, and folder depth (the root is 0):
 * a real DriverStore has a few thousand files at depth 4.  Hitting either
 * is a warning and an `errors` entry (scan, triage), never silent. */
#define PT_MAX_WALK_FILES 200000u
#define PT_MAX_WALK_DEPTH 16u
/* Unreadable subfolders reported one by one per walk; the rest are counted
 * (a mounted volume without permissions has thousands). */
#define PT_MAX_WALK_PROBLEMS 32u

/* Rule and KB source files larger than this are refused. */
#define PT_MAX_RULE_BYTES (1024u * 1024u)
/* How long a KB reader waits for a lock another process holds (ms). */
#define PT_KB_BUSY_MS 5000u

/* Lua: memory per rule state, and VM instructions per rule run. */
#define PT_LUA_MEMORY_CAP (64u * 1024u * 1024u)
#define PT_LUA_INSTRUCTION_BUDGET 50000000L

/* A build with AddressSanitizer runs the same rules 2 to 4 times slower,
 * and CI runs several such triages at once on two cores: its time limits
 * for rules are 4 times the release ones, so that a shipped rule is not cut
 * short there.  Tests that time rules set their own limits. */
#if defined(__SANITIZE_ADDRESS__)
#define PT_SANITIZER_SLOWDOWN 4u
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PT_SANITIZER_SLOWDOWN 4u
#endif
#endif
#ifndef PT_SANITIZER_SLOWDOWN
#define PT_SANITIZER_SLOWDOWN 1u
#endif

/* Wall-clock (and CPU) time per rule run in its child process: count hooks
 * never fire inside C functions such as string.find, so a pattern bomb is
 * stopped by the process limit instead. */
#define PT_RULE_TIME_MS (5000u * PT_SANITIZER_SLOWDOWN)
/* Wall-clock time for all the rules of one triage together: the per-rule
 * limits alone add up (3 pattern-bomb rules once took 15.3 s).  A rule gets
 * at most what is left; the rules after it are not run and say so.  The
 * shipped rules take a few ms each. */
#define PT_RULES_TIME_BUDGET_MS (10000u * PT_SANITIZER_SLOWDOWN)
/* After a rule's process dies (a time-out, a crash), loading it alone
 * tells whether it failed in evaluate() (one rule that errors) or could not
 * load at all; loading a real rule takes a few ms. */
#define PT_RULE_LOAD_CHECK_MS 1000u
/* What one rule may return: findings, text per field, tags per finding,
 * and the bytes its child process may send back.  They bound the memory
 * and time the parent spends on a rule's answer, which the Lua memory cap
 * does not cover. */
#define PT_MAX_FINDINGS_PER_RULE 256
#define PT_MAX_FINDING_TEXT 4096
#define PT_MAX_FINDING_TAGS 64
#define PT_MAX_RULE_OUTPUT (4u * 1024u * 1024u)
/* Rules that run at once, each in its own process. */
#define PT_RULE_WORKERS 4
#define PT_STR_(x) #x
#define PT_STR(x) PT_STR_(x)

/* List items a rule test case may give in all: tables can be shared, so a
 * few lines can list the same 100000 rows in each of 100000 captures. */
#define PT_MAX_CASE_ITEMS 100000u

/* Longest string a rule may build with string.rep. */
#define PT_LUA_MAX_STRING (1024u * 1024u)

/* Read buffer per scanning thread (read() into a reused buffer was
 * measured faster than mmap, DESIGN.md 4).  64 KiB, as ripgrep reads: the
 * block the kernel just copied is still in the L2 cache when it is
 * scanned, where 256 KiB blocks were 0.8x rg's speed. */
#define PT_SCAN_BUFFER_BYTES (64u * 1024u)

/* Authenticode: WIN_CERTIFICATE entries read per certificate table; real
 * files have 1, shimx64.efi.signed has 2, so 16 leaves room for dual
 * signing and stops a crafted table of tiny entries. */
#define PT_MAX_CERT_ENTRIES 16u
/* Nesting of signatures in unauthenticated attribute 1.3.6.1.4.1.311.2.4.1;
 * real files nest one level (WinDivert), deeper is a trick. */
#define PT_MAX_SIGNATURE_DEPTH 4u
/* Signatures kept per file, nested ones included. */
#define PT_MAX_SIGNATURES 32u
/* Certificates searched per SignedData; real ones carry 2 to 10. */
#define PT_MAX_SIGNATURE_CERTS 64u

/* Catalogs: .cat files read under one CatRoot (a Windows install has a
 * few thousand); a .cat larger than PT_MAX_CATALOG_BYTES is skipped (the
 * largest Microsoft package catalogs are a few MB); member hashes indexed
 * in all (one per file a catalog covers, two with sha1 and sha256 tags). */
#define PT_MAX_CATALOG_FILES 100000u
#define PT_MAX_CATALOG_BYTES (64u * 1024u * 1024u)
#define PT_MAX_CATALOG_MEMBERS 8000000u

/* Fleet.  A verdict document larger than this is skipped: the
 * seed case's verdict is 5 KB, so 16 MiB is thousands of findings. */
#define PT_FLEET_MAX_DOC_BYTES (16u * 1024u * 1024u)
/* Host names kept per problem (the rest only counted): a ticket listing
 * more than 1,000 names is read by nobody. */
#define PT_FLEET_MAX_HOST_NAMES 1000u
/* Distinct hosts told apart (by a 64-bit hash) per problem and for the
 * fleet; past this, every further report counts as a new host. */
#define PT_FLEET_MAX_TRACKED_HOSTS 1000000u
/* Distinct problems (fingerprints) kept; more means garbage input. */
#define PT_FLEET_MAX_PROBLEMS 100000u
/* Driver versions and references kept per problem. */
#define PT_FLEET_MAX_VERSIONS 16u
#define PT_FLEET_MAX_REFS 32u
/* Skipped-report warnings passed on per fleet; the rest are counted and
 * summed up once.  2 GB of garbage once made 4.6 million warning lines. */
#define PT_FLEET_MAX_WARNINGS 100u

#endif /* PT_LIMITS_H */
