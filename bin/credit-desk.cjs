#!/usr/bin/env node
// Runs the bundled command line (built by `npm run build` into out/main/cli.js).
const { main } = require('../out/main/cli.js')

// process.exit() does not wait for a pipe to drain: a long --json output read by another program would lose its tail.
// Exit once stdout and stderr have taken everything written.
function exit(code) {
  let pending = 2
  const done = () => --pending === 0 && process.exit(code)
  process.stdout.write('', done)
  process.stderr.write('', done)
}

main(process.argv.slice(2)).then(exit, (err) => {
  console.error(err instanceof Error ? err.message : String(err))
  exit(1)
})
