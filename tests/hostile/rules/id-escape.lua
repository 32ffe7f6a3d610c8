return { id = 'a\27[2Jb', title = 't', author = 'a', applies_to = {'*'}, evaluate = function() return {} end }
