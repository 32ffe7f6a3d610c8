return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) error(setmetatable({}, {__tostring = function() while true do end end})) end,
}
