/* fuzz_pe.c - libFuzzer target: pt_pe_parse (and through it the resource
 * walk and the version parser) on arbitrary bytes.  Seed it with
 * tests/fixtures/pe.  Aborts when a result breaks the header's promises. */
#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"

#include <stdlib.h>
#include <string.h>

static void check_strings(const pt_string_table *t)
{
    const char *fields[] = {t->company_name, t->file_description, t->file_version,
                            t->internal_name, t->legal_copyright,
                            t->original_filename, t->product_name,
                            t->product_version};
    if (memchr(t->key, '\0', sizeof t->key) == NULL)
        abort();
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i] != NULL)
            (void)strlen(fields[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return 0;
    pt_pe_info pe;
    if (pt_pe_parse(arena, data, len, &pe) != PT_OK)
        abort(); /* only allocation can fail, and it does not here */
    if (pe.section_count > PT_MAX_SECTIONS ||
        pe.string_table_count > PT_MAX_STRING_TABLES)
        abort();
    if (pe.security_size != 0 &&
        (uint64_t)pe.security_offset + pe.security_size > len)
        abort();
    for (size_t i = 0; i < pe.section_count; i++)
        if (pt_pe_section_at(&pe, pe.sections[i].raw_offset) == NULL &&
            pe.sections[i].raw_size != 0)
            abort();
    for (size_t i = 0; i < pe.string_table_count; i++)
        check_strings(&pe.string_tables[i]);
    (void)pt_pe_machine_name(pe.machine);
    (void)pt_pe_company(&pe);
    (void)pt_pe_product_version(&pe);
    pt_arena_free(arena);
    return 0;
}
