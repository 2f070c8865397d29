// The command line's launcher line (`#!` of bin/credit-desk.cjs, what npm's `credit-desk` shim runs and what the
// benchmarks read): it must start node with a small young generation and glibc's mapping threshold fixed, settings
// that only count when given at start (docs/design.md, "Memory of the command line").
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const LAUNCHER = join(__dirname, '../../bin/credit-desk.cjs')
// Keeps many young objects alive for a while: a young generation free to grow grows to 32 MB on this.
const CHURN = `const keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 2e5) keep.length = 0 }
const s = require('v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')
console.log(JSON.stringify({ newSpace: s.space_size, mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null }))`

describe('command-line launcher', () => {
  it('starts node with a young generation of at most 4 MB and big allocations mapped, not kept in the heap', () => {
    const line = readFileSync(LAUNCHER, 'utf8').split('\n')[0]!
    const words = /^#!\/usr\/bin\/env -S (.+)$/.exec(line)?.[1]?.split(' ')
    expect(words).toBeDefined()
    const started = (script: string[]) => JSON.parse(execFileSync('/usr/bin/env', [...script, '-e', CHURN], { encoding: 'utf8' }))
    expect(started(words!.map((w) => (w === 'node' ? process.execPath : w)))).toEqual({ newSpace: 4 << 20, mmapThreshold: '131072' })
    expect(started([process.execPath]).newSpace).toBeGreaterThan(8 << 20) // (what it guards against)
  })
})
