return setmetatable({}, {__index = function(t, k) return 'PT-0901' end})
