/*
 * cmd_triage.c - `pooltriage triage`: parse options into pt_triage_opts,
 * run the pipeline, print the report and map the verdict to an exit code.
 * `pooltriage collect` takes the same inputs, runs the same pipeline and
 * writes the case as an archive instead of a report.
 */
#include "cli.h"
#include "pooltriage/platform.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    printf(
        "usage: pooltriage triage [CASE_DIR]... [--pool FILE [--at TIME]]...\n"
        "                         [--drivers DIR]... [--root DIR]... [--os VERSION]\n"
        "                         [--host NAME] [--kb FILE] [--rules DIR]\n"
        "                         [--pooltag FILE] [--format text|json|markdown|csv|html]\n"
        "                         [--json] [--pretty] [--color auto|always|never]\n"
        "                         [--pool-format F] [--no-cache] [--strict] [-o FILE]\n"
        "                         [--live]\n"
        "\n"
        "Reads pool captures (poolmon screens, poolmon -n snapshots, WinDbg\n"
        "!poolused), ranks the tags, finds the drivers holding the top tags in\n"
        "one pass, reads their version resources and signatures, and runs the\n"
        "rules against the knowledge base.\n"
        "\n"
        "  CASE_DIR          a folder holding captures, a drivers/ folder and/or\n"
        "                    a Windows/System32 tree\n"
        "  --pool FILE       a capture (repeat for a series)\n"
        "  --at TIME         capture time of the --pool before it (ISO-8601, UTC)\n"
        "  --pool-format F   poolmon-console | poolmon-snapshot | poolused\n"
        "                    (default: detected per file)\n"
        "  --drivers DIR     a folder of drivers to scan, or one driver file\n"
        "                    (repeatable)\n"
        "  --root DIR        a mounted or copied Windows volume: drivers from\n"
        "                    Windows/System32/drivers and DriverStore, OS from\n"
        "                    Windows/System32/ntoskrnl.exe, catalog signatures\n"
        "                    from Windows/System32/CatRoot (repeatable)\n"
        "  --os VERSION      6.3.9600, 6.3.9600.19000 or a name: 2008R2 7 2012 8\n"
        "                    2012R2 8.1 2016 10-1607 2019 10-1809 2022 10-22H2\n"
        "                    2025 11-24H2 11-25H2\n"
        "  --host NAME       host name for the report (default: the case folder)\n"
        "  --kb FILE         knowledge base to use instead of the default\n"
        "  --rules DIR       run the *.lua rules of DIR instead of the KB's rules\n"
        "  --pooltag FILE    pooltag.txt or localtag.txt: owners become attribution\n"
        "                    hints (evidence kind \"hint\")\n"
        "  --live            this Windows host (pooltriage.exe as Administrator): the\n"
        "                    pool read from the running kernel, the drivers it has\n"
        "                    loaded, the OS of the running kernel; mixes with --pool\n"
        "                    and --drivers\n"
        "  --no-cache        read every driver again instead of using the scan cache\n"
        "                    ($XDG_CACHE_HOME/pooltriage/scan.sqlite)\n"
        "  --format F        text (default), json, markdown (a ticket body), csv\n"
        "                    (one row per finding) or html (one self-contained page\n"
        "                    with charts); --json is --format json\n"
        "  --pretty          indent the JSON\n"
        "  -o, --output FILE write the report to FILE (a temporary file, then a\n"
        "                    rename: never half a report)\n"
        "  --color WHEN      colour the text: auto (default: only on a terminal\n"
        "                    other than TERM=dumb and when NO_COLOR is unset or\n"
        "                    empty), always, never\n"
        "  --strict          exit 3 on any skipped capture row, unreadable\n"
        "                    driver or unknown capture order, 4 on a rule error\n"
        "\n"
        "Exit: 0 nothing likely or known, 1 a likely or known leak, 2 usage,\n"
        "3 an input can't be read or parsed, 4 KB or rules broken.\n");
}

static void help_collect(void)
{
    printf(
        "usage: pooltriage collect [CASE_DIR]... [--pool FILE [--at TIME]]...\n"
        "                          [--drivers DIR]... [--root DIR]... [--os VERSION]\n"
        "                          [--live [--every SECONDS --count N]] [--all-drivers]\n"
        "                          [--kb FILE] [--no-cache] --out CASE.zip\n"
        "\n"
        "Writes a case archive that `pooltriage triage CASE.zip` reads on any\n"
        "platform, for escalation to a vendor or analysis elsewhere: the captures,\n"
        "the drivers that hold the top tags (found as triage finds them), the\n"
        "tree's ntoskrnl.exe, the catalogs that sign those drivers, and\n"
        "manifest.json with the host, the OS, the time and the sha256 of every\n"
        "file.  Nothing else is copied.\n"
        "\n"
        "  CASE_DIR, --pool, --at, --drivers, --root, --os, --kb, --no-cache\n"
        "                    as for triage\n"
        "  --live            this Windows host (pooltriage.exe as Administrator): the\n"
        "                    pool read from the running kernel, its drivers folder\n"
        "                    and system drive\n"
        "  --every SECONDS   with --live: seconds between readings (default 60)\n"
        "  --count N         with --live: readings, written as poolmon -n files\n"
        "                    (default 3: a short series shows growth)\n"
        "  --all-drivers     every *.sys of the driver folders, not only the ones\n"
        "                    that hold a top tag\n"
        "  --host NAME       the case's name inside the archive (default: --out's\n"
        "                    name without .zip)\n"
        "  --out CASE.zip    the archive to write; an existing file is never\n"
        "                    overwritten, and a failed run leaves nothing\n"
        "\n"
        "Exit: 0 written, 2 usage, 3 an input can't be read or --out exists, 4 KB\n"
        "or rules broken.\n");
}

enum { OPT_POOL = 256, OPT_AT, OPT_POOL_FORMAT, OPT_DRIVERS, OPT_ROOT, OPT_OS, OPT_HOST,
       OPT_KB, OPT_RULES, OPT_POOLTAG, OPT_FORMAT, OPT_JSON, OPT_PRETTY, OPT_STRICT,
       OPT_HELP, OPT_COLOR, OPT_NO_CACHE, OPT_LIVE, OPT_OUT, OPT_ALL_DRIVERS, OPT_EVERY,
       OPT_COUNT };

static const struct option long_opts[] = {
    {"pool", required_argument, NULL, OPT_POOL},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"live", no_argument, NULL, OPT_LIVE},
    {"at", required_argument, NULL, OPT_AT},
    {"pool-format", required_argument, NULL, OPT_POOL_FORMAT},
    {"drivers", required_argument, NULL, OPT_DRIVERS},
    {"root", required_argument, NULL, OPT_ROOT},
    {"os", required_argument, NULL, OPT_OS},
    {"host", required_argument, NULL, OPT_HOST},
    {"kb", required_argument, NULL, OPT_KB},
    {"rules", required_argument, NULL, OPT_RULES},
    {"pooltag", required_argument, NULL, OPT_POOLTAG},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"json", no_argument, NULL, OPT_JSON},
    {"pretty", no_argument, NULL, OPT_PRETTY},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
    {"color", required_argument, NULL, OPT_COLOR},
    {"out", required_argument, NULL, OPT_OUT},
    {"all-drivers", no_argument, NULL, OPT_ALL_DRIVERS},
    {"every", required_argument, NULL, OPT_EVERY},
    {"count", required_argument, NULL, OPT_COUNT},
    {NULL, 0, NULL, 0},
};

typedef void (*report_fn)(const pt_verdict *, const pt_report_opts *, pt_buf *);

typedef struct args {
    pt_triage_opts o;
    bool json, pretty, strict;
    report_fn report;            /* --format markdown or csv, else NULL */
    const char *color;           /* --color, or NULL for auto */
    bool live;                   /* --live: this Windows host */
    char **live_paths;           /* its snapshot files */
    size_t live_count;
    char **modules;              /* --live: the loaded drivers' files */
    size_t module_count;
    const char *cmd;             /* "triage" or "collect" */
    const char *out;             /* collect: --out */
    bool all_drivers;            /* collect: --all-drivers */
    unsigned every, count;       /* collect --live: the series */
    bool report_opt;             /* an option that only a report takes */
} args;

/* A whole number of 1..max for --every or --count; 0 when it is not one. */
static unsigned whole(const char *s, unsigned max)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    return *s >= '0' && *s <= '9' && *end == '\0' && v >= 1 && v <= max ? (unsigned)v : 0;
}

/* Colour only on a terminal that is not TERM=dumb, without NO_COLOR
 * (https://no-color.org), or when --color always asks for it. */
static bool want_color(const char *when)
{
    return pt_report_want_color(when, pt_platform_isatty(stdout), getenv("NO_COLOR"),
                                getenv("TERM"));
}

static int parse(int argc, char **argv, args *a)
{
    size_t n = (size_t)argc;
    a->o.pools = calloc(n, sizeof *a->o.pools);
    a->o.driver_dirs = calloc(n, sizeof *a->o.driver_dirs);
    a->o.roots = calloc(n, sizeof *a->o.roots);
    a->o.case_dirs = calloc(n, sizeof *a->o.case_dirs);
    if (!a->o.pools || !a->o.driver_dirs || !a->o.roots || !a->o.case_dirs)
        return pt_cli_usage(a->cmd, "out of memory");
    bool collect = strcmp(a->cmd, "collect") == 0;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_POOL: a->o.pools[a->o.pool_count++].path = optarg; break;
        case OPT_AT:
            if (a->o.pool_count == 0 || a->o.pools[a->o.pool_count - 1].at)
                return pt_cli_usage(a->cmd, "--at must follow the --pool it dates");
            a->o.pools[a->o.pool_count - 1].at = optarg;
            break;
        case OPT_POOL_FORMAT:
            a->o.pool_format = pt_capture_format_parse(optarg);
            if (a->o.pool_format == PT_FMT_UNKNOWN && strcmp(optarg, "auto") != 0)
                return pt_cli_usage(a->cmd, "unknown --pool-format '%s'", optarg);
            break;
        case OPT_DRIVERS: a->o.driver_dirs[a->o.driver_dir_count++] = optarg; break;
        case OPT_ROOT: a->o.roots[a->o.root_count++] = optarg; break;
        case OPT_OS: a->o.os = optarg; break;
        case OPT_HOST: a->o.host = optarg; break;
        case OPT_KB: a->o.kb_path = optarg; break;
        case OPT_RULES: a->o.rules_dir = optarg; break;
        case OPT_POOLTAG: a->o.pooltag = optarg; break;
        case OPT_FORMAT:
            a->report_opt = true;
            a->report = NULL;
            a->json = strcmp(optarg, "json") == 0;
            if (strcmp(optarg, "markdown") == 0)
                a->report = pt_report_markdown;
            else if (strcmp(optarg, "csv") == 0)
                a->report = pt_report_csv;
            else if (strcmp(optarg, "html") == 0)
                a->report = pt_report_html;
            else if (!a->json && strcmp(optarg, "text") != 0)
                return pt_cli_usage(a->cmd, "unknown --format '%s' (text, json, markdown, "
                                    "csv or html)", optarg);
            break;
        case OPT_COLOR:
            a->report_opt = true;
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return pt_cli_usage(a->cmd, "unknown --color '%s' (auto, always or never)",
                                    optarg);
            a->color = optarg;
            break;
        case OPT_JSON: a->json = a->report_opt = true; a->report = NULL; break;
        case OPT_PRETTY: a->pretty = a->report_opt = true; break;
        case OPT_STRICT: a->strict = true; break;
        case OPT_OUT:
        case OPT_ALL_DRIVERS:
        case OPT_EVERY:
        case OPT_COUNT:
            if (!collect)
                return pt_cli_usage(a->cmd, "unknown option '%s'", argv[optind - 1]);
            if (c == OPT_OUT)
                a->out = optarg;
            else if (c == OPT_ALL_DRIVERS)
                a->all_drivers = true;
            else if (!(c == OPT_EVERY ? (a->every = whole(optarg, 86400))
                                      : (a->count = whole(optarg, 1000))))
                return pt_cli_usage(a->cmd, "'%s' needs a whole number (%s)", argv[optind - 2],
                                    c == OPT_EVERY ? "1 to 86400 seconds" : "1 to 1000");
            break;
        case OPT_NO_CACHE: a->o.no_cache = true; break;
        case OPT_LIVE: a->live = true; break;
        case 'o': a->report_opt = true; pt_cli_set_output(optarg); break;
        case 'h':
        case OPT_HELP: collect ? help_collect() : help(); return -1;
        case ':': return pt_cli_usage(a->cmd, "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage(a->cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++)
        a->o.case_dirs[a->o.case_dir_count++] = argv[i];
    if (collect && a->out == NULL)
        return pt_cli_usage(a->cmd, "--out CASE.zip is required");
    if (collect && a->report_opt)
        return pt_cli_usage(a->cmd, "collect writes a case archive, not a report: "
                            "--format, --json, --pretty, --color and -o are triage's");
    if ((a->every || a->count) && !a->live)
        return pt_cli_usage(a->cmd, "--every and --count go with --live");
    if (a->live) {
        /* this host: the live pool, its drivers folder and its system drive */
        unsigned count = collect ? (a->count ? a->count : 3) : 1;
        unsigned every = collect && count > 1 ? (a->every ? a->every : 60) : 0;
        int st = pt_cli_live_series(NULL, every, count, &a->live_paths, &a->live_count);
        if (st != PT_EXIT_OK)
            return st;
        void *more = realloc(a->o.pools, (n + a->live_count) * sizeof *a->o.pools);
        if (more == NULL)
            return pt_cli_usage(a->cmd, "out of memory");
        a->o.pools = more;
        for (size_t i = 0; i < a->live_count; i++) {
            memset(&a->o.pools[a->o.pool_count], 0, sizeof *a->o.pools);
            a->o.pools[a->o.pool_count++].path = a->live_paths[i];
        }
        static char drivers[1024], root[64];
        const char *sysroot = getenv("SystemRoot"), *drive = getenv("SystemDrive");
        /* the drivers the kernel has loaded; their folder when it won't say */
        pt_error merr = {0};
        if (sysroot && drive && pt_cli_live_modules(sysroot, drive, &a->modules,
                                                    &a->module_count, &merr) == PT_OK) {
            const char **dirs = realloc(a->o.driver_dirs,
                                       (n + a->module_count) * sizeof *dirs);
            if (dirs == NULL)
                return pt_cli_usage(a->cmd, "out of memory");
            a->o.driver_dirs = dirs;
            for (size_t i = 0; i < a->module_count; i++)
                a->o.driver_dirs[a->o.driver_dir_count++] = a->modules[i];
        } else if (sysroot && pt_path_join_buf(root, sizeof root, sysroot, "System32") &&
                   pt_path_join_buf(drivers, sizeof drivers, root, "drivers")) {
            pt_cli_warn("--live: the loaded-module list: %s; searching %s instead",
                        merr.message[0] ? merr.message : "not given", drivers);
            a->o.driver_dirs[a->o.driver_dir_count++] = drivers;
        }
        if (a->o.root_count == 0 && drive && snprintf(root, sizeof root, "%s\\", drive) > 0)
            a->o.roots[a->o.root_count++] = root;
        /* the running kernel's version, with its update build revision */
        static char os[64];
        pt_error oerr = {0};
        if (a->o.os == NULL && pt_platform_live_os(os, sizeof os, &oerr) == PT_OK) {
            a->o.os = os;
            a->o.os_source = "RtlGetVersion";
        }
    }
    if (a->o.case_dir_count == 0 && a->o.pool_count == 0)
        return pt_cli_usage(a->cmd, "give a case folder or --pool FILE");
    if (collect && a->o.host == NULL) {   /* the case's name: CASE of CASE.zip */
        const char *base = pt_path_base(a->out);
        size_t len = strlen(base);
        static char name[256];
        len = len > 4 && pt_ends_with_ci(base, ".zip") ? len - 4 : len;
        snprintf(name, sizeof name, "%.*s", (int)len, base);
        a->o.host = name[0] ? name : "case";
    }
    if (a->o.pooltag && !pt_platform_can_read(a->o.pooltag))
        return pt_cli_usage(a->cmd, "cannot read --pooltag '%s'", a->o.pooltag);
    if (a->o.kb_path == NULL)
        a->o.kb_path = pt_cli_default_kb();
    return 0;
}

static void warn_problems(const pt_verdict *v)
{
    for (size_t i = 0; i < v->error_count; i++)
        pt_cli_warn("%s%s%s: %s", v->errors[i].source,
                v->errors[i].where && v->errors[i].where[0] ? ": " : "",
                v->errors[i].where ? v->errors[i].where : "", v->errors[i].message);
    for (size_t i = 0; i < v->rule_error_count; i++)
        pt_cli_warn("rule '%s' failed at %s: %s",
                v->rule_errors[i].rule, v->rule_errors[i].where, v->rule_errors[i].message);
}

/* collect: the verdict's case, written as an archive. */
static int write_case(pt_arena *arena, const args *a, const pt_verdict *v)
{
    pt_case_opts co = {a->o.host, a->all_drivers};
    pt_case_summary sum;
    pt_error err = {0};
    if (pt_case_write(arena, v, &co, a->out, &sum, &err) != PT_OK)
        return pt_cli_fail(&err);
    if (sum.skipped)
        pt_cli_warn("%zu driver%s inside a case archive not copied (collect copies files "
                    "on disk)", sum.skipped, sum.skipped == 1 ? "" : "s");
    printf("wrote %s: %zu capture%s, %zu driver%s, %s, %zu catalog%s, manifest.json "
           "(%llu bytes of files, each with its sha256)\n", a->out, sum.captures,
           sum.captures == 1 ? "" : "s", sum.drivers, sum.drivers == 1 ? "" : "s",
           sum.kernels ? "ntoskrnl.exe" : "no ntoskrnl.exe", sum.catalogs,
           sum.catalogs == 1 ? "" : "s", (unsigned long long)sum.bytes);
    return PT_EXIT_OK;
}

static int run(int argc, char **argv, const char *cmd);

int cmd_triage(int argc, char **argv) { return run(argc, argv, "triage"); }

int cmd_collect(int argc, char **argv) { return run(argc, argv, "collect"); }

static int run(int argc, char **argv, const char *cmd)
{
    args a = {0};
    a.cmd = cmd;
    int status = parse(argc, argv, &a);
    pt_arena *arena = NULL;
    if (status != 0)
        goto done;
    arena = pt_arena_new();
    pt_verdict v;
    pt_error err = {0};
    bool tty = pt_cli_progress_wanted();
    if (tty) {
        a.o.progress = pt_cli_progress;
        a.o.progress_ctx = a.out ? "pooltriage collect: scanning drivers"
                                 : "pooltriage triage: scanning drivers";
    }
    pt_code rc = arena ? pt_triage(arena, &a.o, &v, &err)
                       : pt_error_set(&err, PT_ENOMEM, "", "out of memory");
    if (tty)
        fputs("\r\033[K", stderr);
    if (rc != PT_OK) {
        status = pt_cli_fail(&err);
        goto done;
    }
    warn_problems(&v);
    if (a.out) {
        status = write_case(arena, &a, &v);
        goto done;
    }
    pt_buf out = {0};
    pt_report_opts ro = {want_color(a.color), a.pretty};
    if (a.report)
        a.report(&v, &ro, &out);
    else if (a.json)
        pt_report_json(&v, &ro, &out);
    else
        pt_report_text(&v, &ro, &out);
    status = pt_cli_write(&out);
    pt_buf_free(&out);
    if (status != PT_EXIT_OK)
        goto done;
    if (a.strict && v.error_count)
        status = PT_EXIT_INPUT;
    else if (a.strict && v.rule_error_count)
        status = PT_EXIT_KB;
    else
        status = v.level >= PT_LEVEL_LIKELY ? PT_EXIT_FOUND : PT_EXIT_OK;
done:
    pt_arena_free(arena);
    free(a.o.pools);
    free(a.o.driver_dirs);
    free(a.o.roots);
    free(a.o.case_dirs);
    for (size_t i = 0; i < a.live_count; i++)
        pt_free(a.live_paths[i]);
    free(a.live_paths);
    for (size_t i = 0; i < a.module_count; i++)
        pt_free(a.modules[i]);
    free(a.modules);
    return status < 0 ? PT_EXIT_OK : status;
}
