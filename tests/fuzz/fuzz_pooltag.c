/* fuzz_pooltag.c - libFuzzer target for the pooltag.txt / localtag.txt
 * map: the input is parsed as both kinds, then every entry's tag is looked
 * up again and a few fixed tags are looked up.  Seeds: tests/fixtures/pool. */
#include "pooltriage/pooltriage.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static void check(const pt_pooltag_map *map)
{
    size_t n;
    for (size_t i = 0; i < pt_pooltag_count(map); i++) {
        const pt_tag_entry *e = pt_pooltag_entry(map, i);
        if (e->tag[4] != '\0' || (e->binary == NULL && e->description == NULL))
            __builtin_trap();
        const pt_tag_entry *hit = pt_pooltag_lookup(map, e->tag, &n);
        if (!e->wildcard && (hit == NULL || n == 0 || memcmp(hit->tag, e->tag, 4) != 0))
            __builtin_trap();
    }
    (void)pt_pooltag_lookup(map, "Afd1", &n);
    (void)pt_pooltag_lookup(map, "    ", &n);
    (void)pt_pooltag_lookup(map, "????", &n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    pt_pooltag_map *map = pt_pooltag_new();
    if (map == NULL)
        return 0;
    pt_error err = {0};
    if (pt_pooltag_parse(map, "fuzz", (const char *)data, len, PT_TAGMAP_POOLTAG, &err) == PT_OK)
        check(map);
    if (pt_pooltag_parse(map, "localtag.txt", (const char *)data, len, PT_TAGMAP_AUTO,
                         &err) == PT_OK)
        check(map);
    pt_pooltag_free(map);
    return 0;
}
