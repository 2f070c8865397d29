// Preloaded into a benchmarked process (node --require): prints its peak resident memory as it exits. VmHWM (this
// process's own high-water mark, all threads) rather than getrusage's maxrss, which Linux carries over from the
// parent at fork: a child of a big benchmark process would otherwise report at least the parent's size.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script preloaded with --require
const { readFileSync } = require('node:fs')
process.on('exit', () => {
  let kib = process.resourceUsage().maxRSS
  try {
    kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1])
  } catch {
    // not Linux: maxrss
  }
  process.stderr.write(`\nmax-rss-mib ${Math.round(kib / 1024)}\n`)
})
