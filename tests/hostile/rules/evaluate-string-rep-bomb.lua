return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) return { { level = 'info', title = string.rep('x', 1 << 40) } } end,
}
