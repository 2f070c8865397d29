// Rows are typed (db/tables.ts) so queries need no casts; this keeps the number of `as` assertions from creeping back.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const MAX_CASTS = 120

describe('type assertions in electron/ and db/', () => {
  it(`stay at or under ${MAX_CASTS} (as const aside)`, () => {
    const { total } = JSON.parse(execFileSync(process.execPath, ['scripts/count-casts.mjs', '--json'], { encoding: 'utf8' })) as {
      total: number
    }
    expect(total).toBeGreaterThan(0)
    expect(total).toBeLessThanOrEqual(MAX_CASTS)
  })
})
