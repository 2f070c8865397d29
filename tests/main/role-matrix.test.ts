// Every procedure, called as every role and logged out, against the table in docs/roles.md. The table is the
// specification: a procedure missing from it, or an outcome that differs from it, fails here.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contract, isProcedureName, type ProcedureName } from '../../electron/contract'
import type { Sender } from '../../electron/main/ipc/context'
import { WINDOW, adminSession, freshBackend, userSession } from '../helpers'

const ROLES = ['admin', 'clerk', 'supervisor', 'auditor'] as const
type RoleName = (typeof ROLES)[number]

/** docs/roles.md: procedure → for each role, 'public' | 'yes' | 'no'. */
function documentedMatrix(): Map<string, Record<RoleName, 'public' | 'yes' | 'no'>> {
  const text = readFileSync(join(__dirname, '../../docs/roles.md'), 'utf8')
  const matrix = new Map<string, Record<RoleName, 'public' | 'yes' | 'no'>>()
  for (const line of text.split('\n')) {
    const m = /^\| `([a-z-]+:[a-z-]+)` \|[^|]*\|(.*)\|$/.exec(line)
    if (!m) continue
    const cells = m[2]!.split('|').map((c) => c.trim())
    expect(cells, line).toHaveLength(4)
    matrix.set(
      m[1]!,
      Object.fromEntries(ROLES.map((r, i) => [r, cells[i] === '公开' ? 'public' : cells[i] === '✓' ? 'yes' : 'no'])) as Record<
        RoleName,
        'public' | 'yes' | 'no'
      >,
    )
  }
  return matrix
}

describe('role matrix', () => {
  it('docs/roles.md lists exactly the procedures of the contract', () => {
    const documented = [...documentedMatrix().keys()]
    expect(documented.filter((n) => !isProcedureName(n))).toEqual([])
    expect(Object.keys(contract).filter((n) => !documented.includes(n))).toEqual([])
  })

  it('every procedure, as every role and logged out, is refused exactly where the table says', { timeout: 120_000 }, async () => {
    const matrix = documentedMatrix()
    const b = await freshBackend()
    const admin = await adminSession(b)
    const callers: Record<RoleName, (name: string, input?: unknown) => Promise<{ ok: boolean; error?: { code: string } }>> = {
      admin,
      clerk: await userSession(b, admin, 'clerk1', ['clerk']),
      supervisor: await userSession(b, admin, 'boss1', ['supervisor']),
      auditor: await userSession(b, admin, 'audit1', ['auditor']),
    }
    const nobody: Sender = { ...WINDOW, id: 'window-nobody' }
    const mismatches: string[] = []
    // Logging out would end the session the rest of the calls need: it is public, tried logged out only.
    const names = (Object.keys(contract) as ProcedureName[]).filter((n) => n !== 'auth:logout')
    for (const name of names) {
      const expected = matrix.get(name)!
      for (const role of ROLES) {
        const r = await callers[role](name, {})
        const refused = !r.ok && (r.error!.code === 'FORBIDDEN' || r.error!.code === 'NOT_AUTHENTICATED')
        if (refused !== (expected[role] === 'no'))
          mismatches.push(`${name} as ${role}: ${r.ok ? 'ok' : r.error!.code}, table says ${expected[role]}`)
      }
      const anon = await b.dispatch(nobody, name, {})
      const anonRefused = !anon.ok && (anon.error as { code: string }).code === 'NOT_AUTHENTICATED'
      if (anonRefused !== (expected.admin !== 'public'))
        mismatches.push(`${name} logged out: ${anon.ok ? 'ok' : (anon.error as { code: string }).code}`)
    }
    expect((await b.dispatch(nobody, 'auth:logout', {})).ok).toBe(true)
    expect(mismatches).toEqual([])
    // Every refusal of a role is in the audit log, with who was refused.
    const refusals = await b.db('audit_log').where('result', 'FORBIDDEN').count({ n: '*' })
    expect(Number(refusals[0]!.n)).toBe([...matrix.values()].reduce((n, row) => n + ROLES.filter((r) => row[r] === 'no').length, 0))
  })
})
