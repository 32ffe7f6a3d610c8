return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) return { { level = 'info', title = string.format('%099999999d', 1) } } end,
}
