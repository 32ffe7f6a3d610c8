return { id = '\xff\xfe', title = 't', author = 'a', applies_to = {'*'}, evaluate = function() return {} end }
