/*
 * facts_wire.c - the bytes that carry a rule run's input into the rule's
 * own process: length-prefixed strings, and the facts as a tree of Lua
 * values (rules_facts.c builds it in the parent, the child rebuilds it).
 * The child trusts nothing it reads here: every length, count, depth and
 * reference is checked against what is left of the input.
 *
 * A value is a type byte and its body; numbers are little-endian:
 *   'z' null fact   't' true   'f' false   'i' int64   'd' double (IEEE)
 *   's' u32 length, bytes
 *   '{' u32 pair count, then each key ('i' or 's') and its value
 *   'r' u32: the n-th table read so far (0-based), for a table met twice
 */
#include "pooltriage/pooltriage.h"
#include "judge_int.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#define WIRE_MAX_DEPTH 32

static void put_u32(pt_buf *b, uint32_t v)
{
    char c[4] = {(char)(v & 0xff), (char)((v >> 8) & 0xff), (char)((v >> 16) & 0xff),
                 (char)(v >> 24)};
    pt_buf_append(b, c, 4);
}

static void put_u64(pt_buf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

void pt_wire_put_str(pt_buf *b, const char *s, size_t len)
{
    if (len > UINT32_MAX) {
        b->failed = true;
        return;
    }
    put_u32(b, (uint32_t)len);
    pt_buf_append(b, s, len);
}

static bool get_bytes(pt_wire *w, size_t n, const uint8_t **out)
{
    if (w->len - w->off < n)
        return false;
    *out = w->data + w->off;
    w->off += n;
    return true;
}

static bool get_u32(pt_wire *w, uint32_t *v)
{
    const uint8_t *p;
    if (!get_bytes(w, 4, &p))
        return false;
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

static bool get_u64(pt_wire *w, uint64_t *v)
{
    uint32_t lo, hi;
    if (!get_u32(w, &lo) || !get_u32(w, &hi))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

bool pt_wire_get_str(pt_wire *w, const char **s, size_t *len)
{
    uint32_t n;
    const uint8_t *p;
    size_t at = w->off;
    if (!get_u32(w, &n) || !get_bytes(w, n, &p)) {
        w->off = at;
        return false;
    }
    *s = (const char *)p;
    *len = n;
    return true;
}

void pt_wire_put_source(pt_buf *b, const pt_rule_source *src)
{
    pt_wire_put_str(b, src->name, strlen(src->name));
    pt_wire_put_str(b, src->text, src->len);
}

bool pt_wire_get_source(pt_wire *w, pt_arena *arena, pt_rule_source *out)
{
    const char *name;
    size_t name_len;
    if (!pt_wire_get_str(w, &name, &name_len) || !pt_wire_get_str(w, &out->text, &out->len))
        return false;
    out->name = pt_arena_strndup(arena, name, name_len);
    return out->name != NULL;
}

/* ---- encoding (in the parent, on facts it built itself) ---- */

typedef struct enc {
    pt_buf *out;
    int memo;          /* stack index: table -> its number */
    uint32_t tables;
    bool refused;
} enc;

static void put_value(lua_State *L, enc *e, int idx, int depth);

static void put_key(lua_State *L, enc *e, int idx)
{
    if (lua_type(L, idx) == LUA_TSTRING || lua_isinteger(L, idx))
        put_value(L, e, idx, 0);
    else
        e->refused = true;
}

static void put_value(lua_State *L, enc *e, int idx, int depth)
{
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
        pt_buf_append(e->out, lua_toboolean(L, idx) ? "t" : "f", 1);
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            pt_buf_append(e->out, "i", 1);
            put_u64(e->out, (uint64_t)lua_tointeger(L, idx));
        } else {
            double d = lua_tonumber(L, idx);
            uint64_t bits;
            memcpy(&bits, &d, sizeof bits);
            pt_buf_append(e->out, "d", 1);
            put_u64(e->out, bits);
        }
        return;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        pt_buf_append(e->out, "s", 1);
        pt_wire_put_str(e->out, s, len);
        return;
    }
    case LUA_TLIGHTUSERDATA:
        if (pt_facts_is_null(L, idx)) {
            pt_buf_append(e->out, "z", 1);
            return;
        }
        break;
    case LUA_TTABLE: {
        if (depth >= WIRE_MAX_DEPTH)
            break;
        lua_pushvalue(L, idx);
        if (lua_rawget(L, e->memo) == LUA_TNUMBER) {
            pt_buf_append(e->out, "r", 1);
            put_u32(e->out, (uint32_t)lua_tointeger(L, -1));
            lua_pop(L, 1);
            return;
        }
        lua_pop(L, 1);
        lua_pushvalue(L, idx);
        lua_pushinteger(L, e->tables++);
        lua_rawset(L, e->memo);
        uint32_t pairs = 0;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            pairs++;
            lua_pop(L, 1);
        }
        pt_buf_append(e->out, "{", 1);
        put_u32(e->out, pairs);
        luaL_checkstack(L, 4, "facts nested too deep");
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            put_key(L, e, -2);
            put_value(L, e, -1, depth + 1);
            lua_pop(L, 1);
        }
        return;
    }
    default:
        break;
    }
    e->refused = true;   /* a function, a full userdata, a table too deep */
}

bool pt_facts_encode(lua_State *L, int idx, pt_buf *out)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    enc e = {out, lua_gettop(L), 0, false};
    put_value(L, &e, idx, 0);
    lua_pop(L, 1);
    return !e.refused && !out->failed;
}

/* ---- decoding (in the child: the bytes may be anything) ---- */

typedef struct dec {
    pt_wire *w;
    int refs;          /* stack index: the tables read so far, in order */
    uint32_t tables;
    const char *why;
} dec;

static bool get_value(lua_State *L, dec *d, int depth, bool key);

static bool fail(dec *d, const char *why)
{
    if (d->why == NULL)
        d->why = why;
    return false;
}

static bool get_table(lua_State *L, dec *d, int depth)
{
    uint32_t pairs;
    if (depth >= WIRE_MAX_DEPTH)
        return fail(d, "tables nested too deep");
    if (!get_u32(d->w, &pairs))
        return fail(d, "cut short in a table's size");
    /* each pair takes at least two bytes */
    if (pairs > (d->w->len - d->w->off) / 2)
        return fail(d, "a table larger than the input");
    if (d->tables == UINT32_MAX)
        return fail(d, "too many tables");
    luaL_checkstack(L, 4, "facts nested too deep");
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawseti(L, d->refs, (lua_Integer)d->tables++ + 1);
    for (uint32_t i = 0; i < pairs; i++) {
        if (!get_value(L, d, depth + 1, true))
            return false;
        if (!get_value(L, d, depth + 1, false))
            return false;
        lua_rawset(L, -3);
    }
    return true;
}

static bool get_value(lua_State *L, dec *d, int depth, bool key)
{
    const uint8_t *type;
    if (!get_bytes(d->w, 1, &type))
        return fail(d, "cut short before a value");
    if (key && *type != 's' && *type != 'i')
        return fail(d, "a table key that is not a string or an integer");
    switch (*type) {
    case 'z':
        pt_facts_push_null(L);
        return true;
    case 't':
    case 'f':
        lua_pushboolean(L, *type == 't');
        return true;
    case 'i':
    case 'd': {
        uint64_t bits;
        if (!get_u64(d->w, &bits))
            return fail(d, "cut short in a number");
        if (*type == 'i') {
            lua_pushinteger(L, (lua_Integer)bits);
        } else {
            double v;
            memcpy(&v, &bits, sizeof v);
            lua_pushnumber(L, v);
        }
        return true;
    }
    case 's': {
        const char *s;
        size_t len;
        if (!pt_wire_get_str(d->w, &s, &len))
            return fail(d, "cut short in a string");
        lua_pushlstring(L, s, len);
        return true;
    }
    case '{':
        return get_table(L, d, depth);
    case 'r': {
        uint32_t n;
        if (!get_u32(d->w, &n))
            return fail(d, "cut short in a table reference");
        if (n >= d->tables)
            return fail(d, "a reference to a table not read yet");
        lua_rawgeti(L, d->refs, (lua_Integer)n + 1);
        return true;
    }
    default:
        return fail(d, "an unknown value type");
    }
}

bool pt_facts_decode(lua_State *L, pt_wire *w, const char **why)
{
    int top = lua_gettop(L);
    lua_newtable(L);
    dec d = {w, lua_gettop(L), 0, NULL};
    bool ok = get_value(L, &d, 0, false);
    if (ok && w->off != w->len)
        ok = fail(&d, "bytes left after the facts");
    if (ok && !lua_istable(L, -1))
        ok = fail(&d, "the facts are not a table");
    if (!ok) {
        lua_settop(L, top);
        *why = d.why;
        return false;
    }
    lua_remove(L, d.refs);
    return true;
}
