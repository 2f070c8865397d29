// Preloaded into a benchmarked process (node --require): prints its peak resident memory as it exits.
process.on('exit', () => process.stderr.write(`\nmax-rss-mib ${Math.round(process.resourceUsage().maxRSS / 1024)}\n`))
