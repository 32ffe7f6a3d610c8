return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) return {} end,
}
