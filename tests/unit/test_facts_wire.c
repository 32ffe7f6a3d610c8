/*
 * test_facts_wire.c - the bytes that carry a rule's input into its process
 * (engine/judge/facts_wire.c): a round trip keeps every value and every
 * shared table, and input that is cut, lying or hostile is refused with a
 * reason, never read past its end.
 */
#include "test_support.h"
#include "pt_lua.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

/* {name = "a\0b", n = 42, neg = -7, x = 1.5, yes = true, no = false,
 *  gone = null, list = {d, d}, deep = {{{d}}}} with d one shared table. */
static void push_sample(lua_State *L)
{
    lua_newtable(L);
    lua_pushlstring(L, "a\0b", 3);
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, 42);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, -7);
    lua_setfield(L, -2, "neg");
    lua_pushnumber(L, 1.5);
    lua_setfield(L, -2, "x");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "yes");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "no");
    pt_facts_push_null(L);
    lua_setfield(L, -2, "gone");
    lua_newtable(L);                 /* d */
    lua_pushstring(L, "mfeavfk.sys");
    lua_setfield(L, -2, "driver");
    lua_newtable(L);                 /* list */
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -3, "list");
    lua_newtable(L);
    lua_newtable(L);
    lua_pushvalue(L, -3);
    lua_rawseti(L, -2, 1);
    lua_rawseti(L, -2, 1);
    lua_setfield(L, -3, "deep");
    lua_pop(L, 1);
}

static void encode_sample(pt_buf *b)
{
    lua_State *L = pt_lua_open(NULL);
    assert_non_null(L);
    push_sample(L);
    assert_true(pt_facts_encode(L, -1, b));
    pt_lua_close(L);
}

typedef struct decode_job {
    const uint8_t *data;
    size_t len;
    bool ok;
    const char *why;
    size_t stopped_at;
} decode_job;

static int decode_body(lua_State *L)
{
    decode_job *j = lua_touserdata(L, 1);
    pt_wire w = {j->data, j->len, 0};
    int top = lua_gettop(L);
    j->ok = pt_facts_decode(L, &w, &j->why);
    j->stopped_at = w.off;
    assert_int_equal(lua_gettop(L), top + (j->ok ? 1 : 0));
    return 0;
}

static decode_job decode(lua_State *L, const void *data, size_t len)
{
    decode_job j = {data, len, false, NULL, 0};
    assert_int_equal(pt_lua_cpcall(L, decode_body, &j), LUA_OK);
    return j;
}

static void a_round_trip_keeps_every_value_and_shared_table(void **state)
{
    (void)state;
    pt_buf b = {0};
    encode_sample(&b);
    lua_State *L = pt_lua_open(NULL);
    pt_wire w = {(const uint8_t *)b.data, b.len, 0};
    const char *why = NULL;
    assert_true(pt_facts_decode(L, &w, &why));
    assert_int_equal(w.off, b.len);
    size_t len;
    lua_getfield(L, -1, "name");
    const char *name = lua_tolstring(L, -1, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(name, "a\0b", 3);
    lua_pop(L, 1);
    lua_getfield(L, -1, "n");
    assert_true(lua_isinteger(L, -1));
    assert_int_equal(lua_tointeger(L, -1), 42);
    lua_getfield(L, -2, "neg");
    assert_int_equal(lua_tointeger(L, -1), -7);
    lua_getfield(L, -3, "x");
    assert_false(lua_isinteger(L, -1));
    assert_true(lua_tonumber(L, -1) == 1.5);
    lua_getfield(L, -4, "yes");
    assert_true(lua_toboolean(L, -1));
    lua_getfield(L, -5, "no");
    assert_true(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
    lua_getfield(L, -6, "gone");
    assert_true(pt_facts_is_null(L, -1));
    lua_pop(L, 6);
    /* list[1], list[2] and deep[1][1] are one table */
    lua_getfield(L, -1, "list");
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);
    assert_true(lua_rawequal(L, -1, -2));
    lua_getfield(L, -4, "deep");
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -1, 1);
    assert_true(lua_rawequal(L, -1, -4));
    lua_getfield(L, -1, "driver");
    assert_string_equal(lua_tostring(L, -1), "mfeavfk.sys");
    pt_lua_close(L);
    pt_buf_free(&b);
}

static void a_function_is_refused_by_the_encoder(void **state)
{
    (void)state;
    lua_State *L = pt_lua_open(NULL);
    lua_newtable(L);
    lua_pushcfunction(L, decode_body);
    lua_setfield(L, -2, "f");
    pt_buf b = {0};
    assert_false(pt_facts_encode(L, -1, &b));
    pt_buf_free(&b);
    pt_lua_close(L);
}

static void every_cut_of_the_input_is_refused_cleanly(void **state)
{
    (void)state;
    pt_buf b = {0};
    encode_sample(&b);
    lua_State *L = pt_lua_open(NULL);
    for (size_t n = 0; n < b.len; n++) {
        decode_job j = decode(L, b.data, n);
        assert_false(j.ok);
        assert_non_null(j.why);
        assert_true(j.stopped_at <= n);
    }
    /* and one byte too many */
    char *more = malloc(b.len + 1);
    memcpy(more, b.data, b.len);
    more[b.len] = 't';
    decode_job j = decode(L, more, b.len + 1);
    assert_false(j.ok);
    assert_string_equal(j.why, "bytes left after the facts");
    free(more);
    pt_lua_close(L);
    pt_buf_free(&b);
}

static void lying_inputs_are_refused_with_their_reason(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        const char *why;
    } cases[] = {
#define C(bytes, why) {bytes, sizeof bytes - 1, why}
        C("{\xff\xff\xff\xff", "a table larger than the input"),
        C("{\x01\x00\x00\x00" "rr\x00\x00\x00", "a table key that is not a string or an integer"),
        C("{\x01\x00\x00\x00" "i\x01\x00\x00\x00\x00\x00\x00\x00" "r\x05\x00\x00\x00",
          "a reference to a table not read yet"),
        C("s\x09\x00\x00\x00" "short", "cut short in a string"),
        C("q", "an unknown value type"),
        C("t", "the facts are not a table"),
        C("", "cut short before a value"),
        C("{\x01\x00\x00\x00" "sA", "cut short in a string"),
#undef C
    };
    lua_State *L = pt_lua_open(NULL);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        decode_job j = decode(L, cases[i].bytes, cases[i].len);
        assert_false(j.ok);
        assert_string_equal(j.why, cases[i].why);
    }
    pt_lua_close(L);
}

static void tables_nested_past_the_limit_are_refused(void **state)
{
    (void)state;
    pt_buf b = {0};
    for (int i = 0; i < 40; i++) {
        pt_buf_append(&b, "{\x01\x00\x00\x00i\x01\x00\x00\x00\x00\x00\x00\x00", 14);
    }
    pt_buf_append(&b, "t", 1);
    lua_State *L = pt_lua_open(NULL);
    decode_job j = decode(L, b.data, b.len);
    assert_false(j.ok);
    assert_string_equal(j.why, "tables nested too deep");
    pt_lua_close(L);
    pt_buf_free(&b);
}

static void wire_strings_are_read_in_order_and_never_past_the_end(void **state)
{
    (void)state;
    pt_buf b = {0};
    pt_wire_put_str(&b, "rule.lua", 8);
    pt_wire_put_str(&b, "", 0);
    pt_wire w = {(const uint8_t *)b.data, b.len, 0};
    const char *s;
    size_t len;
    assert_true(pt_wire_get_str(&w, &s, &len));
    assert_int_equal(len, 8);
    assert_memory_equal(s, "rule.lua", 8);
    assert_true(pt_wire_get_str(&w, &s, &len));
    assert_int_equal(len, 0);
    assert_false(pt_wire_get_str(&w, &s, &len));
    assert_int_equal(w.off, b.len);
    pt_wire cut = {(const uint8_t *)b.data, 6, 0};   /* length says 8, 2 bytes left */
    assert_false(pt_wire_get_str(&cut, &s, &len));
    assert_int_equal(cut.off, 0);
    pt_buf_free(&b);
}

static void a_rule_source_crosses_with_its_name_copied_and_its_text_in_place(void **state)
{
    (void)state;
    pt_buf b = {0};
    pt_wire_put_source(&b, &(pt_rule_source){"r.lua", "return {}\0tail", 14});
    pt_arena *a = pt_arena_new();
    pt_wire w = {(const uint8_t *)b.data, b.len, 0};
    pt_rule_source src;
    assert_true(pt_wire_get_source(&w, a, &src));
    assert_string_equal(src.name, "r.lua");
    assert_int_equal(src.len, 14);
    assert_memory_equal(src.text, "return {}\0tail", 14);
    assert_ptr_equal(src.text, b.data + 4 + 5 + 4);   /* not copied */
    assert_int_equal(w.off, b.len);
    pt_wire cut = {(const uint8_t *)b.data, b.len - 1, 0};
    assert_false(pt_wire_get_source(&cut, a, &src));
    pt_arena_free(a);
    pt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_round_trip_keeps_every_value_and_shared_table),
        cmocka_unit_test(a_function_is_refused_by_the_encoder),
        cmocka_unit_test(every_cut_of_the_input_is_refused_cleanly),
        cmocka_unit_test(lying_inputs_are_refused_with_their_reason),
        cmocka_unit_test(tables_nested_past_the_limit_are_refused),
        cmocka_unit_test(wire_strings_are_read_in_order_and_never_past_the_end),
        cmocka_unit_test(a_rule_source_crosses_with_its_name_copied_and_its_text_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
