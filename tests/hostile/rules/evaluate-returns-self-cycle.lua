return {
  id = 'hostile-rule',
  title = 'a hostile rule',
  author = 'corpus',
  applies_to = { '*' },
  evaluate = function(ctx) local f = {level = 'info'} f.title = f f.tags = {f} return { f } end,
}
