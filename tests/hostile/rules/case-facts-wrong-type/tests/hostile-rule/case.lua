return { facts = 7, expect = 'x' }
