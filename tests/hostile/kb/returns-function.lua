return function() return {} end
