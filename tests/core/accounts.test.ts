import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../electron/contract/errors'
import { authenticate, LOCKOUT_MS } from '../../electron/core/accounts/auth'
import { createUser, resetUserPassword, setUserDisabled, updateUser } from '../../electron/core/accounts/user-admin'
import { completeSetup } from '../../electron/core/system/setup'
import { manualClock } from '../../electron/core/shared/clock'
import { freshDb, SETUP } from '../helpers'

async function office() {
  const { db } = await freshDb()
  const clock = manualClock()
  const adminId = await completeSetup(db, clock, SETUP)
  const clerkId = await createUser(db, clock, {
    username: 'clerk1',
    displayName: '李业务',
    roles: ['clerk'],
    unitId: null,
    archiveScope: 'unit' as const,
    initialPassword: 'Init#2026a',
  })
  return { db, clock, adminId, clerkId }
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code: string }) => e.code,
  )

describe('setup', () => {
  it('runs once', async () => {
    const { db, clock } = await office()
    expect(await codeOf(completeSetup(db, clock, SETUP))).toBe(ErrorCode.SetupAlreadyDone)
  })

  it('rejects a wrong USCC and region code with field issues and writes nothing', async () => {
    const { db } = await freshDb()
    const err = await completeSetup(db, manualClock(), { ...SETUP, orgCreditCode: '91350100M000100Y44', regionCode: '350100' }).catch(
      (e) => e,
    )
    expect(err.details.fields).toEqual([
      { path: 'regionCode', message: 'region.notCounty' },
      { path: 'orgCreditCode', message: 'uscc.checkChar' },
    ])
    expect(await db('users').count({ n: '*' })).toEqual([{ n: 0 }])
    // (Migrations seed defaults such as the task warning window; setup itself wrote nothing.)
    expect(
      await db('settings').whereIn('key', ['org_name', 'region_code', 'org_credit_code', 'setup_completed_at']).count({ n: '*' }),
    ).toEqual([{ n: 0 }])
  })
})

describe('login and lockout', () => {
  it('logs in with the right password and records it', async () => {
    const { db, clock } = await office()
    const user = await authenticate(db, clock, 'CLERK1', 'Init#2026a') // user names are case-insensitive
    expect(user).toMatchObject({ username: 'clerk1', mustChangePassword: true, roles: ['clerk'] })
    expect(await db('login_log').pluck('result')).toEqual(['success'])
  })

  it('locks after 5 failures for 10 minutes, then counts afresh', async () => {
    const { db, clock } = await office()
    for (let i = 0; i < 4; i++) expect(await codeOf(authenticate(db, clock, 'clerk1', 'nope'))).toBe(ErrorCode.LoginFailed)
    expect(await codeOf(authenticate(db, clock, 'clerk1', 'nope'))).toBe(ErrorCode.AccountLocked)
    expect(await codeOf(authenticate(db, clock, 'clerk1', 'Init#2026a'))).toBe(ErrorCode.AccountLocked)
    clock.advance(LOCKOUT_MS - 1000)
    expect(await codeOf(authenticate(db, clock, 'clerk1', 'Init#2026a'))).toBe(ErrorCode.AccountLocked)
    clock.advance(2000)
    expect(await codeOf(authenticate(db, clock, 'clerk1', 'nope'))).toBe(ErrorCode.LoginFailed) // one failure, not six
    expect(await codeOf(authenticate(db, clock, 'clerk1', 'Init#2026a'))).toBe('ok')
    expect(await db('login_log').orderBy('id').pluck('result')).toEqual([
      'failure',
      'failure',
      'failure',
      'failure',
      'locked',
      'locked',
      'locked',
      'failure',
      'success',
    ])
  })

  it('treats an unknown user name exactly like a wrong password, lockout included', async () => {
    const { db, clock } = await office()
    for (let i = 0; i < 4; i++) expect(await codeOf(authenticate(db, clock, 'ghost', 'x'))).toBe(ErrorCode.LoginFailed)
    expect(await codeOf(authenticate(db, clock, 'ghost', 'x'))).toBe(ErrorCode.AccountLocked)
  })

  it('refuses a disabled account only after the right password', async () => {
    const { db, clock, adminId, clerkId } = await office()
    await setUserDisabled(db, clock, adminId, clerkId, true)
    expect(await codeOf(authenticate(db, clock, 'clerk1', 'wrong'))).toBe(ErrorCode.LoginFailed)
    expect(await codeOf(authenticate(db, clock, 'clerk1', 'Init#2026a'))).toBe(ErrorCode.AccountDisabled)
  })

  it('an administrator reset lifts the lockout and forces a change', async () => {
    const { db, clock, clerkId } = await office()
    for (let i = 0; i < 5; i++) await codeOf(authenticate(db, clock, 'clerk1', 'nope'))
    await resetUserPassword(db, clock, clerkId, 'Reset#2026b')
    const user = await authenticate(db, clock, 'clerk1', 'Reset#2026b')
    expect(user.mustChangePassword).toBe(true)
  })
})

describe('user administration rules', () => {
  it('does not let one person both administer and audit (三员分立)', async () => {
    const { db, clock } = await office()
    const err = await createUser(db, clock, {
      username: 'both',
      displayName: '兼任',
      roles: ['admin', 'auditor'],
      unitId: null,
      archiveScope: 'unit' as const,
      initialPassword: 'Init#2026a',
    }).catch((e) => e)
    expect(err.details.fields).toEqual([{ path: 'roles', message: 'roles.conflict' }])
  })

  it('keeps at least one administrator and stops self-lockout', async () => {
    const { db, clock, adminId, clerkId } = await office()
    expect(await codeOf(setUserDisabled(db, clock, adminId, adminId, true))).toBe(ErrorCode.SelfModification)
    expect(
      await codeOf(
        updateUser(db, clock, adminId, { id: adminId, displayName: 'x', roles: ['clerk'], unitId: null, archiveScope: 'unit' as const }),
      ),
    ).toBe(ErrorCode.SelfModification)
    // A second admin may demote the first only while another admin remains.
    await updateUser(db, clock, adminId, {
      id: clerkId,
      displayName: '李业务',
      roles: ['admin'],
      unitId: null,
      archiveScope: 'unit' as const,
    })
    expect(await codeOf(setUserDisabled(db, clock, clerkId, adminId, true))).toBe('ok')
    const third = await createUser(db, clock, {
      username: 'third',
      displayName: '第三',
      roles: ['clerk'],
      unitId: null,
      archiveScope: 'unit' as const,
      initialPassword: 'Init#2026a',
    })
    expect(
      await codeOf(
        updateUser(db, clock, third, { id: clerkId, displayName: '李业务', roles: ['clerk'], unitId: null, archiveScope: 'unit' as const }),
      ),
    ).toBe(ErrorCode.LastAdmin)
  })

  it('rejects a duplicate user name regardless of case', async () => {
    const { db, clock } = await office()
    const err = await createUser(db, clock, {
      username: 'Clerk1',
      displayName: '重复',
      roles: ['clerk'],
      unitId: null,
      archiveScope: 'unit' as const,
      initialPassword: 'Init#2026a',
    }).catch((e) => e)
    expect(err.details.fields[0]).toEqual({ path: 'username', message: 'username.taken' })
  })
})
