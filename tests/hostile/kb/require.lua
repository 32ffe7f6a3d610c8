local s = require('socket')
return {}
