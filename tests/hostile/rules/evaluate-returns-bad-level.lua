return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) return { { level = 5, title = {}, tag = 42 } } end,
}
