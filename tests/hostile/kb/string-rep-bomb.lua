return { id = string.rep('x', 2^40) }
