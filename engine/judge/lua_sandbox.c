/*
 * lua_sandbox.c - Lua states for untrusted community text: rules and KB
 * files.  Text-only loading, an allow-list of libraries, a memory cap in
 * the allocator and an instruction budget that pcall cannot swallow.
 */
#include "pooltriage/pooltriage.h"
#include "pt_lua.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

typedef struct sandbox {
    size_t used;
    size_t cap;
    long budget;      /* instructions left, in units of the hook count */
    bool exhausted;   /* the budget ran out: every later hook call errors */
} sandbox;

#define HOOK_COUNT 1000

static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        pt_free(ptr);
        sb->used -= old;
        return NULL;
    }
    if (nsize > old && sb->used - old + nsize > sb->cap)
        return NULL;
    void *p = pt_realloc(ptr, nsize);
    if (p != NULL)
        sb->used = sb->used - old + nsize;
    return p;
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    sandbox *sb;
    lua_getallocf(L, (void **)&sb);
    if (!sb->exhausted) {
        sb->budget -= HOOK_COUNT;
        if (sb->budget > 0)
            return;
        sb->exhausted = true;
        /* from now on error at every instruction, so a pcall that caught
         * the first error dies at its next step */
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    }
    luaL_error(L, "instruction budget exhausted");
}

/* string.rep with a cap on the result, so that ("x"):rep(2^40) is a clear
 * error rather than a memory-cap hit somewhere later. */
static int capped_rep(lua_State *L)
{
    size_t len;
    luaL_checklstring(L, 1, &len);
    lua_Integer n = luaL_checkinteger(L, 2);
    size_t sep = 0;
    if (!lua_isnoneornil(L, 3))
        luaL_checklstring(L, 3, &sep);
    if (n > 0 && (double)n * (double)(len + sep) > (double)PT_LUA_MAX_STRING)
        return luaL_error(L, "string.rep: the result would exceed %d bytes",
                          (int)PT_LUA_MAX_STRING);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* What a rule may reach, as an allow list (Redis builds its scripts'
 * environment the same way): a name that is not listed here is not there,
 * whatever a future Lua adds to its libraries.  Left out on purpose: load,
 * loadfile, dofile, require, collectgarbage and print (the base library),
 * string.dump (bytecode), math.random and math.randomseed (verdicts must
 * be reproducible). */
static const char *const base_allowed[] = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
    "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable",
    "tonumber", "tostring", "type", "xpcall", "_VERSION", NULL,
};
static const char *const string_allowed[] = {
    "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match",
    "pack", "packsize", "rep", "reverse", "sub", "unpack", "upper", NULL,
};
static const char *const table_allowed[] = {
    "concat", "insert", "move", "pack", "remove", "sort", "unpack", NULL,
};
static const char *const math_allowed[] = {
    "abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
    "maxinteger", "min", "mininteger", "modf", "pi", "rad", "sin", "sqrt",
    "tan", "tointeger", "type", "ult", NULL,
};
static const char *const utf8_allowed[] = {
    "char", "charpattern", "codepoint", "codes", "len", "offset", NULL,
};

static bool listed(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

/* Removes every field of the table on top of the stack that `allowed` does
 * not name.  The table stays the library's own, so the string metatable's
 * __index (which is it) offers no more than the global. */
static void keep_only(lua_State *L, const char *const *allowed)
{
    lua_newtable(L); /* the names to drop, collected first: no edits during next() */
    int drop = 0;
    lua_pushnil(L);
    while (lua_next(L, -3) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING || !listed(allowed, lua_tostring(L, -1))) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, ++drop);
        }
    }
    for (int i = 1; i <= drop; i++) {
        lua_rawgeti(L, -1, i);
        lua_pushnil(L);
        lua_rawset(L, -4);
    }
    lua_pop(L, 1);
}

static int open_safe_libs(lua_State *L)
{
    static const struct {
        const char *name;
        lua_CFunction open;
        const char *const *allowed;
    } libs[] = {
        {LUA_STRLIBNAME, luaopen_string, string_allowed},
        {LUA_TABLIBNAME, luaopen_table, table_allowed},
        {LUA_MATHLIBNAME, luaopen_math, math_allowed},
        {LUA_UTF8LIBNAME, luaopen_utf8, utf8_allowed},
    };
    /* the base library opens into a scratch table; the rule's globals are
     * a new table holding only the allowed names */
    luaL_requiref(L, LUA_GNAME, luaopen_base, 0);
    lua_newtable(L);
    for (const char *const *g = base_allowed; *g; g++) {
        lua_getfield(L, -2, *g);
        lua_setfield(L, -2, *g);
    }
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        luaL_requiref(L, libs[i].name, libs[i].open, 0);
        keep_only(L, libs[i].allowed);
        lua_setfield(L, -2, libs[i].name);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, LUA_GNAME);
    /* string.rep with a cap on its result */
    lua_getfield(L, -1, LUA_STRLIBNAME);
    lua_getfield(L, -1, "rep");
    lua_pushcclosure(L, capped_rep, 1);
    lua_setfield(L, -2, "rep");
    lua_pop(L, 1);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pop(L, 1);
    return 0;
}

lua_State *pt_lua_open(const pt_lua_opts *opts)
{
    sandbox *sb = pt_calloc(1, sizeof *sb);
    if (sb == NULL)
        return NULL;
    sb->cap = opts && opts->memory_cap ? opts->memory_cap : PT_LUA_MEMORY_CAP;
    sb->budget = opts && opts->instructions ? opts->instructions : PT_LUA_INSTRUCTION_BUDGET;
    lua_State *L = lua_newstate(sandbox_alloc, sb);
    if (L == NULL) {
        pt_free(sb);
        return NULL;
    }
    /* opening libraries allocates: do it protected, like everything else */
    if (!(opts && opts->no_libs) && pt_lua_cpcall(L, open_safe_libs, NULL) != LUA_OK) {
        pt_lua_close(L);
        return NULL;
    }
    lua_settop(L, 0);
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_COUNT);
    return L;
}

void pt_lua_close(lua_State *L)
{
    if (L == NULL)
        return;
    sandbox *sb;
    lua_getallocf(L, (void **)&sb);
    lua_close(L);
    pt_free(sb);
}

bool pt_lua_exhausted(lua_State *L)
{
    sandbox *sb;
    lua_getallocf(L, (void **)&sb);
    return sb->exhausted;
}

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL)
        msg = "(error object is not a string)";
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int pt_lua_pcall(lua_State *L, int nargs, int nresults)
{
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, traceback);
    lua_insert(L, base);
    int rc = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return rc;
}

int pt_lua_cpcall(lua_State *L, lua_CFunction fn, void *ud)
{
    if (!lua_checkstack(L, 3))
        return LUA_ERRMEM;
    lua_pushcfunction(L, fn);
    lua_pushlightuserdata(L, ud);
    return pt_lua_pcall(L, 1, 0);
}

const char *pt_lua_error_text(lua_State *L, int status)
{
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (msg)
        return msg;
    if (status == LUA_ERRMEM)
        return "not enough memory";
    if (status == LUA_ERRERR)
        return "error in the error handler (not enough memory?)";
    return "error object is not a string";
}

int pt_lua_load(lua_State *L, const char *text, size_t len, const char *name,
                bool empty_env)
{
    char chunk[256];
    snprintf(chunk, sizeof chunk, "=%s", name);
    /* as the lua interpreter does, a UTF-8 BOM (Windows editors) is skipped;
     * UTF-16 is named rather than failing on its first byte */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    } else if (len >= 2 && (memcmp(text, "\xFF\xFE", 2) == 0 || memcmp(text, "\xFE\xFF", 2) == 0)) {
        lua_pushfstring(L, "%s:1: UTF-16 text: save the file as UTF-8", name);
        return LUA_ERRSYNTAX;
    }
    int rc = luaL_loadbufferx(L, text, len, chunk, "t");
    if (rc != LUA_OK || !empty_env)
        return rc;
    lua_newtable(L);
    if (lua_setupvalue(L, -2, 1) == NULL)
        lua_pop(L, 1);
    return LUA_OK;
}

void pt_lua_first_line(const char *msg, char *where, size_t where_len,
                       const char **rest)
{
    /* "name:12: message" -> where "name:12", rest "message" */
    where[0] = '\0';
    *rest = msg;
    const char *c1 = strchr(msg, ':');
    if (c1 == NULL)
        return;
    const char *p = c1 + 1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == c1 + 1 || *p != ':')
        return;
    size_t n = (size_t)(p - msg);
    if (n >= where_len)
        n = where_len - 1;
    memcpy(where, msg, n);
    where[n] = '\0';
    *rest = p[1] == ' ' ? p + 2 : p + 1;
}
