/*
 * pt_lua.h - the Lua sandbox shared by the rule engine and the KB compiler
 * (lua_sandbox.c).
 */
#ifndef PT_LUA_H
#define PT_LUA_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct pt_lua_opts {
    size_t memory_cap;   /* 0: PT_LUA_MEMORY_CAP */
    long instructions;   /* 0: PT_LUA_INSTRUCTION_BUDGET */
    bool no_libs;        /* open no library at all (KB data files) */
} pt_lua_opts;

/* A new sandboxed state (NULL on out of memory); close with pt_lua_close. */
lua_State *pt_lua_open(const pt_lua_opts *opts);
void pt_lua_close(lua_State *L);
/* True once the instruction budget ran out. */
bool pt_lua_exhausted(lua_State *L);
/* lua_pcall with a traceback handler. */
int pt_lua_pcall(lua_State *L, int nargs, int nresults);
/* Calls fn(L) with `ud` as its one light userdata argument, protected,
 * so that no Lua error (out of memory included) can reach the panic
 * handler.  Returns the lua_pcall status; on error the message is on top. */
int pt_lua_cpcall(lua_State *L, lua_CFunction fn, void *ud);
/* The text of the error on top of the stack after a failed call. */
const char *pt_lua_error_text(lua_State *L, int status);
/* Loads text only (never bytecode) as chunk `name`; with empty_env the
 * chunk's _ENV is a new empty table.  Leaves the function or an error. */
int pt_lua_load(lua_State *L, const char *text, size_t len, const char *name,
                bool empty_env);
/* Splits "file:12: message\nstack..." into where ("file:12") and the rest. */
void pt_lua_first_line(const char *msg, char *where, size_t where_len,
                       const char **rest);

#endif
