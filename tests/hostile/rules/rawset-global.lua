rawset(_G, 'print', 1)
return 1
