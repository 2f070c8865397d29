// Rules that a changed or deleted line once left undetected by the whole suite (hand mutation testing): each test
// here fails if its rule goes, for the account or the case the rule is about, not only the one in an example.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { contract } from '../../electron/contract'
import { createRouter } from '../../electron/main/ipc/router'
import { handlers } from '../../electron/main/ipc/handlers'
import { SessionStore } from '../../electron/core/accounts/session-store'
import { manualClock } from '../../electron/core/shared/clock'
import { memoryLogger } from '../../electron/main/logger'
import { trustOrigin } from '../../electron/main/ipc/router'
import type { Handlers } from '../../electron/main/ipc/context'
import { ORIGIN, SETUP, WINDOW, adminSession, errorOf, expectOk, freshBackend, freshDb, userSession } from '../helpers'

const ID = '11010519491231002X'
const person = (unitId: number, extra: object = {}) => ({
  name: '张伟',
  idNumber: ID,
  unitId,
  post: '科员',
  rank: '一级科员',
  politicalStatus: '中共党员',
  entryDate: '2008-07-01',
  ...extra,
})

async function archiveOffice() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const county = (
    expectOk(await admin('units:create', { parentId: null, name: '县发展和改革局', kind: 'county_dept', sortOrder: 1 })) as { id: number }
  ).id
  const other = (
    expectOk(await admin('units:create', { parentId: null, name: '县财政局', kind: 'county_dept', sortOrder: 2 })) as { id: number }
  ).id
  const clerk = await userSession(b, admin, 'keeper', ['clerk'])
  const boss = await userSession(b, admin, 'boss', ['supervisor'])
  const both = await userSession(b, admin, 'both', ['clerk', 'supervisor'])
  const idOf = async (username: string) => (await b.db('users').where('username', username).first('id'))!.id
  for (const [username, roles, scope] of [
    ['keeper', ['clerk'], 'unit'],
    ['boss', ['supervisor'], 'all'],
    ['both', ['clerk', 'supervisor'], 'all'],
  ] as const) {
    expectOk(await admin('users:update', { id: await idOf(username), displayName: username, roles, unitId: county, archiveScope: scope }))
  }
  return { b, admin, clerk, boss, both, units: { county, other }, idOf }
}

describe('accounts', () => {
  it('the account named admin is refused a wrong password like any other, and let in with the right one', async () => {
    const b = await freshBackend()
    expectOk(await b.dispatch(WINDOW, 'setup:complete', SETUP))
    expect(errorOf(await b.dispatch(WINDOW, 'auth:login', { username: 'admin', password: 'Zhang#2026y' })).code).toBe('LOGIN_FAILED')
    expect(errorOf(await b.dispatch(WINDOW, 'auth:login', { username: 'ADMIN', password: 'wrong-password' })).code).toBe('LOGIN_FAILED')
    expect(errorOf(await b.dispatch(WINDOW, 'users:list', {})).code).toBe('NOT_AUTHENTICATED')
    expectOk(await b.dispatch(WINDOW, 'auth:login', { username: 'admin', password: SETUP.adminPassword }))
    expect(await b.db('login_log').pluck('result')).toEqual(['failure', 'failure', 'success'])
  })
})

describe('archives', () => {
  it('nobody approves their own request for access, not even someone who is both clerk and supervisor', async () => {
    const { clerk, both, boss, units } = await archiveOffice()
    const { id } = expectOk(await clerk('people:create', person(units.county))) as { id: number }
    const own = (expectOk(await both('archives:request-access', { personId: id, reason: '考察', days: 1 })) as { id: number }).id
    expect(errorOf(await both('archives:decide-access', { id: own, decision: 'approved', comment: '同意' })).code).toBe('SELF_REVIEW')
    expectOk(await boss('archives:decide-access', { id: own, decision: 'approved', comment: '同意' }))
  })

  it("people:update is refused outside the keeper's scope, on their own archive, and under recusal", async () => {
    const { b, clerk, boss, both, units, idOf } = await archiveOffice()
    // Registered by someone who sees everything: one in the keeper's unit, one outside it, the keeper's own, one recused.
    const mine = (expectOk(await both('people:create', person(units.county))) as { id: number }).id
    const outside = (
      expectOk(await both('people:create', person(units.other, { name: '王五', idNumber: '110101199003071233' }))) as { id: number }
    ).id
    const self = (
      expectOk(
        await both('people:create', person(units.county, { name: '管档案', idNumber: '110101199003077774', userId: await idOf('keeper') })),
      ) as { id: number }
    ).id
    const recused = (
      expectOk(await both('people:create', person(units.county, { name: '李四', idNumber: '110101198001010010' }))) as { id: number }
    ).id
    expectOk(await boss('archives:recuse', { userId: await idOf('keeper'), personId: recused, reason: '近亲属' }))
    const update = (id: number, name: string) => clerk('people:update', { id, ...person(units.county, { name }), idNumber: undefined })
    expectOk(await update(mine, '张伟'))
    expect(errorOf(await update(outside, '王五')).code).toMatch(/FORBIDDEN|NOT_FOUND/)
    expect(errorOf(await update(self, '管档案')).details).toMatchObject({ reason: 'self' })
    expect(errorOf(await update(recused, '李四')).details).toMatchObject({ reason: 'recused' })
    // Nothing changed on the refused ones.
    expect(await b.db('people').whereIn('id', [outside, self, recused]).orderBy('id').pluck('unit_id')).toEqual([
      units.other,
      units.county,
      units.county,
    ])
  })
})

describe('import jobs', () => {
  it('a job is read only by the window that started it: not another window of the same user, not another user', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
    const colleague = await userSession(b, admin, 'clerk2', ['clerk'])
    const { writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const file = join(b.dataDir, 'x.xlsx')
    writeFileSync(file, 'not a workbook')
    b.openPath.value = file
    const { job } = expectOk(await clerk('records:import-open', { itemCode: 'SGS_XK' })) as { job: { id: string } }
    expectOk(await clerk('records:import-job', { jobId: job.id }))
    expect(errorOf(await colleague('records:import-job', { jobId: job.id })).code).toBe('NOT_FOUND')
    // The same user in a second window.
    const second = { ...WINDOW, id: 'window-clerk1-b' }
    expectOk(await b.dispatch(second, 'auth:login', { username: 'clerk1', password: 'Work#2026cc' }))
    expect(errorOf(await b.dispatch(second, 'records:import-job', { jobId: job.id })).code).toBe('NOT_FOUND')
    expect(errorOf(await colleague('records:import-cancel', { jobId: job.id })).code).toBe('NOT_FOUND')
  })
})

describe('the router', () => {
  it('returns only what the contract names, even when a handler returns more by mistake', async () => {
    const { db } = await freshDb()
    const leaky: Handlers = {
      ...handlers,
      'auth:me': (async () => ({
        setupDone: true,
        orgName: null,
        user: null,
        locked: false,
        idleLockMinutes: 10,
        recovery: null,
        adminPasswordHash: 'scrypt$secret',
        internalPath: '/etc',
      })) as unknown as Handlers['auth:me'],
    }
    const dispatch = createRouter(leaky, {
      db,
      clock: manualClock(),
      sessions: new SessionStore(),
      logger: memoryLogger(),
      isTrustedSender: trustOrigin(ORIGIN),
      platform: { chooseSavePath: async () => null, chooseOpenPath: async () => null, printToPdf: async () => undefined },
      services: {} as never,
    })
    const r = expectOk(await dispatch(WINDOW, 'auth:me', {}))
    expect(r).toEqual({ setupDone: true, orgName: null, user: null, locked: false, idleLockMinutes: 10, recovery: null })
    expect(contract['auth:me'].output).toBeInstanceOf(z.ZodObject)
  })
})
