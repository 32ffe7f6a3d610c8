getmetatable('').__index.rep = nil
return 1
