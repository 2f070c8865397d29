// electron-builder loads hooks with require(), not TypeScript: register tsx, then run the typed hook.
require('tsx/cjs/api').register()
const { afterPack } = require('./sqlite3-addon.ts')

exports.default = async (context) => {
  afterPack(context)
}
