/*
 * cmd_info.c - `pooltriage info`, the sigcheck replacement: for each file,
 * the PE facts, the whole version resource, the Authenticode or catalog
 * signature and the hashes, handed to the info writers of the report stage
 * (text in sigcheck -a -h style, JSON, CSV).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static void help(void)
{
    printf(
        "usage: pooltriage info FILE|DIR... [-r] [--root DIR]\n"
        "                       [--format text|json|csv] [--json] [--pretty]\n"
        "                       [--hashes] [--executables-only] [--unsigned-only]\n"
        "                       [--sigcheck-compat] [-o FILE]\n"
        "\n"
        "Describes Windows PE files (drivers, DLLs, EFI images) as sigcheck -a -h\n"
        "does: machine, subsystem, link date, sections, pool-allocator imports,\n"
        "the whole version resource, the Authenticode signature (signer, issuer,\n"
        "serial, thumbprint, digest algorithm, signing time, nested signatures),\n"
        "whether the signed image digest matches the file, and the hashes MD5,\n"
        "SHA1, PESHA1, PESHA256 (the Authenticode hashes) and SHA256.\n"
        "\n"
        "  DIR            the files directly in it (sigcheck DIR)\n"
        "  -r, --recurse  and those in its subfolders (sigcheck -s)\n"
        "  --executables-only  only PE images, whatever their name (sigcheck -e);\n"
        "                 other files are left out\n"
        "  --unsigned-only  only files that are not Signed: unsigned or with an\n"
        "                 invalid signature (sigcheck -u)\n"
        "  --hashes       show the hashes in text and CSV (sigcheck -h); JSON\n"
        "                 always has them\n"
        "  --sigcheck-compat  CSV exactly as sigcheck -c writes it: every field\n"
        "                 quoted, Date as h:mm AM/PM M/D/YYYY (UTC), Verified\n"
        "                 Signed or Unsigned or sigcheck's sentence, IMP n/a\n"
        "  --root DIR     a Windows volume or a copy of one: files without an\n"
        "                 embedded signature are looked up in the catalogs of\n"
        "                 DIR/Windows/System32/CatRoot\n"
        "  --format F     text (default), json (one line) or csv (sigcheck's\n"
        "                 columns); --json is --format json\n"
        "  --pretty       indent the JSON\n"
        "  -o, --output FILE  write the report to FILE (a temporary file, then a\n"
        "                 rename: never half a report)\n"
        "\n"
        "Verified is Signed (digest intact and the chain trusted at the signing\n"
        "time by a root Windows accepts for kernel-mode code), Signed (untrusted\n"
        "root), Signed (certificate expired at signing time), Signed (intact;\n"
        "chain not verified), Invalid (digest mismatch or broken signature; the\n"
        "reason follows) or Unsigned.  Revocation is not checked.\n"
        "\n"
        "Exit: 0 every file was read (a malformed PE is reported, not an error),\n"
        "2 usage, 3 a file can't be read.\n");
}

enum { FMT_TEXT, FMT_JSON, FMT_CSV };
enum { OPT_ROOT = 256, OPT_FORMAT, OPT_JSON, OPT_PRETTY, OPT_HELP, OPT_HASHES, OPT_EXE_ONLY,
       OPT_UNSIGNED_ONLY, OPT_COMPAT };

static const struct option long_opts[] = {
    {"root", required_argument, NULL, OPT_ROOT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"json", no_argument, NULL, OPT_JSON},
    {"pretty", no_argument, NULL, OPT_PRETTY},
    {"output", required_argument, NULL, 'o'},
    {"recurse", no_argument, NULL, 'r'},
    {"hashes", no_argument, NULL, OPT_HASHES},
    {"executables-only", no_argument, NULL, OPT_EXE_ONLY},
    {"unsigned-only", no_argument, NULL, OPT_UNSIGNED_ONLY},
    {"sigcheck-compat", no_argument, NULL, OPT_COMPAT},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

typedef struct info_args {
    const char *root;
    int format;
    bool pretty;
    bool help;
    bool recurse, hashes, exe_only, unsigned_only, compat;
} info_args;

/* Everything known about one file: the describe stage's description; the
 * report stage reads it through a pt_info_file. */
typedef pt_description info_file;

static int parse_args(int argc, char **argv, info_args *a)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:r", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_ROOT: a->root = optarg; break;
        case OPT_JSON: a->format = FMT_JSON; break;
        case OPT_PRETTY: a->pretty = true; break;
        case OPT_HELP: a->help = true; return PT_EXIT_OK;
        case 'o': pt_cli_set_output(optarg); break;
        case 'r': a->recurse = true; break;
        case OPT_HASHES: a->hashes = true; break;
        case OPT_EXE_ONLY: a->exe_only = true; break;
        case OPT_UNSIGNED_ONLY: a->unsigned_only = true; break;
        case OPT_COMPAT: a->compat = true; break;
        case ':': return pt_cli_usage("info", "option '%s' needs a value", argv[optind - 1]);
        case OPT_FORMAT:
            if (strcmp(optarg, "text") == 0) a->format = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0) a->format = FMT_JSON;
            else if (strcmp(optarg, "csv") == 0) a->format = FMT_CSV;
            else return pt_cli_usage("info", "unknown format '%s' (text, json or csv)", optarg);
            break;
        default:
            return pt_cli_usage("info", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return pt_cli_usage("info", "give at least one FILE or folder");
    if (a->compat && a->format != FMT_CSV)
        return pt_cli_usage("info", "--sigcheck-compat is a CSV mode: add --format csv");
    return PT_EXIT_OK;
}

/* ---- reading ---- */

static void describe(pt_arena *arena, const pt_catalog_index *cats, const char *path,
                     info_file *f)
{
    pt_error err = {0};
    /* read by offset and streamed: no size limit, bounded memory */
    if (pt_describe_file(arena, path, PT_DESCRIBE_HASHES, cats, f, &err) == PT_ENOMEM)
        f->error = "out of memory";
    f->path = path;
}

/* ---- the command ---- */

static int open_catalogs(const char *root, pt_catalog_index **cats)
{
    pt_error err;
    *cats = NULL;
    if (root == NULL)
        return PT_EXIT_OK;
    if (pt_catalog_open(root, cats, &err) != PT_OK)
        return pt_cli_fail(&err);
    for (size_t i = 0; i < pt_catalog_problem_count(*cats); i++) {
        const char *path, *message;
        pt_catalog_problem(*cats, i, &path, &message);
        pt_cli_warn("%s: %s", path, message);
    }
    return PT_EXIT_OK;
}

static void render(pt_arena *arena, pt_buf *out, const info_args *a, const info_file *files,
                   size_t count, const pt_catalog_index *cats)
{
    pt_info_file *view = pt_arena_alloc(arena, (count ? count : 1) * sizeof *view);
    if (view == NULL) {
        out->failed = true;
        return;
    }
    for (size_t i = 0; i < count; i++)
        view[i] = (pt_info_file){.path = files[i].path, .error = files[i].error,
                                 .size = files[i].size, .pe = &files[i].pe,
                                 .signer = &files[i].signer, .hashes = &files[i].hashes};
    pt_info_doc doc = {.files = view, .file_count = count, .root = a->root,
                       .hashes = a->hashes, .sigcheck_compat = a->compat};
    if (cats) {
        doc.catalog_files = pt_catalog_file_count(cats);
        doc.catalog_skipped = pt_catalog_skipped_count(cats);
        doc.catalog_members = pt_catalog_member_count(cats);
    }
    pt_report_opts opts = {.pretty = a->pretty};
    if (a->format == FMT_JSON)
        pt_report_info_json(&doc, &opts, out);
    else if (a->format == FMT_CSV)
        pt_report_info_csv(&doc, &opts, out);
    else
        pt_report_info_text(&doc, &opts, out);
}

/* ---- the files: FILEs, and the files of each folder ---- */

typedef struct file_list {
    pt_arena *arena;
    const char **paths;
    size_t count, cap;
    bool failed;
} file_list;

static void add_file(file_list *l, const char *path)
{
    const char *copy = pt_arena_strdup(l->arena, path);
    if (copy == NULL || !PT_PUSH(l->paths, l->count, l->cap, copy))
        l->failed = true;
}

static bool on_walk(void *ctx, const char *path, const char *name, uint64_t size)
{
    (void)name;
    (void)size;
    add_file(ctx, path);
    return !((file_list *)ctx)->failed;
}

/* What the walk of -r leaves out (its limits, unreadable folders) is said. */
static void on_walk_problem(void *ctx, const char *path, const char *message)
{
    (void)ctx;
    pt_cli_warn("%s: %s", path, message);
}

/* A folder's files: directly in it, or with -r the whole tree (name order,
 * bounded as every walk is). */
static int add_dir(file_list *l, const char *dir, bool recurse)
{
    pt_error err = {0};
    if (recurse)
        return pt_platform_walk_checked(dir, on_walk, on_walk_problem, l, &err) == PT_OK
                   ? PT_EXIT_OK : pt_cli_fail(&err);
    char **files;
    size_t n;
    if (pt_platform_list(dir, &files, &n, &err) != PT_OK)
        return pt_cli_fail(&err);
    for (size_t i = 0; i < n; i++) {
        add_file(l, files[i]);
        pt_free(files[i]);
    }
    pt_free(files);
    return PT_EXIT_OK;
}

/* --executables-only and --unsigned-only; a file that can't be read is
 * always shown, with its error. */
static bool shown(const info_args *a, const info_file *f)
{
    if (f->error)
        return true;
    if (a->exe_only && (f->pe.flags & PT_PE_NOT_PE))
        return false;
    if (a->unsigned_only && f->signer.status == PT_SIG_SIGNED)
        return false;
    return true;
}

int cmd_info(int argc, char **argv)
{
    info_args a = {.format = FMT_TEXT};
    int status = parse_args(argc, argv, &a);
    if (status != PT_EXIT_OK || a.help) {
        if (a.help)
            help();
        return a.help ? (fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT) : status;
    }
    pt_catalog_index *cats = NULL;
    pt_arena *arena = pt_arena_new();
    file_list l = {arena, NULL, 0, 0, arena == NULL};
    for (int i = optind; i < argc && status == PT_EXIT_OK && !l.failed; i++) {
        if (pt_platform_is_dir(argv[i]))
            status = add_dir(&l, argv[i], a.recurse);
        else
            add_file(&l, argv[i]);
    }
    info_file *files = !l.failed && status == PT_EXIT_OK
                           ? pt_arena_alloc(arena, (l.count ? l.count : 1) * sizeof *files)
                           : NULL;
    size_t count = 0;
    pt_buf out = {0};
    if (files == NULL) {
        if (status == PT_EXIT_OK) {
            fprintf(stderr, "pooltriage: out of memory\n");
            status = PT_EXIT_INPUT;
        }
        goto done;
    }
    if ((status = open_catalogs(a.root, &cats)) != PT_EXIT_OK)
        goto done;
    for (size_t i = 0; i < l.count; i++) {
        describe(arena, cats, l.paths[i], &files[count]);
        if (files[count].error) {
            pt_cli_error("%s: %s", files[count].path, files[count].error);
            status = PT_EXIT_INPUT;
        }
        if (shown(&a, &files[count]))
            count++;
    }
    render(arena, &out, &a, files, count, cats);
    int wrote = pt_cli_write(&out);
    if (status == PT_EXIT_OK)
        status = wrote;
done:
    pt_buf_free(&out);
    pt_catalog_close(cats);
    pt_free(l.paths);
    pt_arena_free(arena);
    return status;
}
