return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) error({code = 1}) end,
}
