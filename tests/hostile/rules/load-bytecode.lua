return load('\27LuaT\0')()
