/* fuzz_pe_version.c - libFuzzer target: pt_pe_version_parse on arbitrary
 * bytes, called twice so appending to earlier tables is exercised too.
 * Seed it with the version resources of tests/fixtures/pe. */
#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return 0;
    pt_pe_info pe;
    memset(&pe, 0, sizeof pe);
    for (int round = 0; round < 2; round++)
        if (pt_pe_version_parse(arena, data, len, &pe) != PT_OK)
            abort(); /* only allocation can fail, and it does not here */
    if (pe.string_table_count > PT_MAX_STRING_TABLES)
        abort();
    for (size_t i = 0; i < pe.string_table_count; i++) {
        const pt_string_table *t = &pe.string_tables[i];
        if (memchr(t->key, '\0', sizeof t->key) == NULL)
            abort();
        if (t->company_name)
            (void)strlen(t->company_name);
        if (t->product_version)
            (void)strlen(t->product_version);
    }
    (void)pt_pe_company(&pe);
    (void)pt_pe_description(&pe);
    (void)pt_pe_file_version(&pe);
    (void)pt_pe_product_name(&pe);
    pt_arena_free(arena);
    return 0;
}
