return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) return { { level = 'info', title = 't', explanation = 'e', tag = 'Wait', pool = 'nonpaged', bytes = 1e300 } } end,
}
