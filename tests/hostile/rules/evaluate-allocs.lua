return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) local t = {} for i = 1, 1e9 do t[i] = {} end end,
}
