#!/usr/bin/env node
// Runs the bundled command line (built by `npm run build` into out/main/cli.js).
const { main } = require('../out/main/cli.js')
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  },
)
