#!/usr/bin/env node
// `npm test`: typecheck, lint, format, build, unit/integration (vitest), end-to-end (Playwright), then one
// closing line `tests: N passed, N failed` summing every suite. Typecheck, lint and format count as one
// check each. Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }
const totals = { passed: 0, failed: 0 }
const bin = (name) => `node_modules/.bin/${name}`

function run(title, cmd, args) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`)
  const started = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  console.log(
    `=== ${title}: ${r.status === 0 ? 'ok' : `failed (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
  return r.status === 0
}

function gate(title, cmd, args) {
  const ok = run(title, cmd, args)
  totals[ok ? 'passed' : 'failed']++
  return ok
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

mkdirSync('test-results', { recursive: true })
for (const f of ['test-results/vitest.json', 'test-results/e2e.json']) rmSync(f, { force: true })

gate('typecheck (node)', bin('tsc'), ['--noEmit', '-p', 'electron/tsconfig.json'])
gate('typecheck (renderer)', bin('vue-tsc'), ['--noEmit', '-p', 'renderer/tsconfig.json'])
gate('lint', bin('eslint'), ['.', '--max-warnings', '0'])
gate('format', bin('prettier'), ['--check', '.'])

const unitOk = run('unit + integration', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=test-results/vitest.json',
])
const unit = readJson('test-results/vitest.json')
if (unit) {
  totals.passed += unit.numPassedTests
  // vitest exits non-zero for unhandled errors even when every test passed: that is a failure too.
  totals.failed += unit.numFailedTests + (!unitOk && unit.numFailedTests === 0 ? 1 : 0)
} else totals.failed++

if (run('build', bin('electron-vite'), ['build'])) {
  const e2eOk = run('end-to-end', bin('playwright'), ['test'])
  const e2e = readJson('test-results/e2e.json')
  if (e2e) {
    totals.passed += e2e.stats.expected + e2e.stats.flaky
    const counted = e2e.stats.unexpected + (e2e.errors?.length ?? 0)
    totals.failed += counted + (!e2eOk && counted === 0 ? 1 : 0)
  } else totals.failed++
} else totals.failed++

if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH)
  console.log('\n注意 / note: /usr/bin/chromium not found; install it with `apt-get install chromium`.')
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`)
process.exit(totals.failed ? 1 : 0)
