return { id = '../../evil', title = 't', author = 'a', applies_to = {'*'}, evaluate = function() return {} end }
