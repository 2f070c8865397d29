// The built command line (bin/credit-desk.cjs over out/main/cli.js, as installed) hands a long output to a pipe whole:
// another program reading `check subjects --json` or `check-code --json` gets every line, not the first 64 KB.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'

test('a long --json output reaches a pipe complete', () => {
  const codes = Array.from({ length: 20_000 }, (_, i) => `91350100M${String(i).padStart(8, '0')}X`)
  const r = spawnSync(process.execPath, [join(__dirname, '../bin/credit-desk.cjs'), 'check-code', ...codes, '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  const lines = r.stdout.trim().split('\n')
  expect(lines).toHaveLength(20_000)
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ code: codes.at(-1), kind: 'uscc' })
  expect(r.status).toBe(1) // most of these made-up codes fail their check
})
