/* fuzz_authenticode.c - libFuzzer target: pt_pe_parse then the Authenticode
 * reader and the hashes on arbitrary bytes, and the same bytes again as the
 * certificate table of a small built-in PE32+ image, so the PKCS#7 and DER
 * decoding is reached without a valid PE around it.  Seed it with
 * tests/fixtures/pe and tests/fixtures/signed.  Aborts when a result breaks
 * the header's promises. */
#include "pooltriage/pooltriage.h"

#include <stdlib.h>
#include <string.h>

#define HEADERS 0x200u

static void check(const pt_signer *s)
{
    bool known = s->status == PT_SIG_SIGNED || s->status == PT_SIG_INVALID ||
                 s->status == PT_SIG_UNSIGNED;
    if (!known || (s->status == PT_SIG_INVALID && s->reason == NULL))
        abort();
    if (s->status == PT_SIG_SIGNED && (!s->digest_ok || s->signature_count == 0))
        abort();
    for (size_t i = 0; i < s->signature_count; i++) {
        const pt_signature *g = &s->signatures[i];
        const char *fields[] = {g->subject, g->issuer, g->serial, g->thumbprint,
                                g->signing_time, g->image_digest, g->problem};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if (fields[k] != NULL)
                (void)strlen(fields[k]);
    }
}

static void run(pt_arena *arena, const uint8_t *data, size_t len)
{
    pt_pe_info pe;
    pt_signer s;
    pt_file_hashes h;
    if (pt_pe_parse(arena, data, len, &pe) != PT_OK ||
        pt_authenticode_read(arena, data, len, &pe, &s) != PT_OK ||
        pt_file_hashes_compute(data, len, &pe, &h) != PT_OK)
        abort(); /* only allocation can fail, and it does not here */
    check(&s);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

/* MZ, PE32+ headers with no sections, then one WIN_CERTIFICATE holding
 * `data` as its PKCS#7. */
static uint8_t *wrap(const uint8_t *data, size_t len, size_t *out_len)
{
    size_t table = (8 + len + 7) & ~(size_t)7;
    uint8_t *img = calloc(1, HEADERS + table);
    if (img == NULL)
        return NULL;
    img[0] = 'M';
    img[1] = 'Z';
    put32(img + 0x3c, 0x40);
    memcpy(img + 0x40, "PE\0\0", 4);
    uint8_t *fh = img + 0x44, *opt = fh + 20;
    put16(fh, 0x8664);
    put16(fh + 16, 240);
    put16(fh + 18, 0x22);
    put16(opt, 0x20b);
    put32(opt + 32, 0x1000);            /* SectionAlignment */
    put32(opt + 36, 0x200);             /* FileAlignment */
    put32(opt + 60, HEADERS);           /* SizeOfHeaders */
    put16(opt + 68, 1);                 /* native */
    put32(opt + 108, 16);               /* NumberOfRvaAndSizes */
    put32(opt + 112 + 8 * 4, HEADERS);  /* security directory */
    put32(opt + 112 + 8 * 4 + 4, (uint32_t)table);
    put32(img + HEADERS, (uint32_t)(8 + len));
    put16(img + HEADERS + 4, 0x0200);
    put16(img + HEADERS + 6, 2);
    memcpy(img + HEADERS + 8, data, len);
    *out_len = HEADERS + table;
    return img;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return 0;
    run(arena, data, len);
    size_t n;
    uint8_t *img = len < (1u << 20) ? wrap(data, len, &n) : NULL;
    if (img != NULL)
        run(arena, img, n);
    free(img);
    pt_arena_free(arena);
    return 0;
}
