return { id = 
