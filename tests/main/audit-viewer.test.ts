// What the auditor reads: the objects of each row by name (never a full ID number), results in words, and every way a
// session ends in the login log, at the moment it ended.
import { describe, expect, it } from 'vitest'
import { resultText } from '../../electron/contract/labels.zh-CN'
import type { AuditEntry, LoginEntry } from '../../electron/contract/schemas/audit'
import type { Sender } from '../../electron/main/ipc/context'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { adminSession, errorOf, expectOk, freshBackend, userSession, WINDOW, PENALTY as SHARED_PENALTY } from '../helpers'

// A natural person's penalty: the shared record with the subject swapped for a person and an ID number.
const { XDR_SHXYM: _code, ...COMPANY_PENALTY } = SHARED_PENALTY
const PENALTY = {
  ...COMPANY_PENALTY,
  XDR_MC: '张某某',
  XDR_LB: 'natural_person',
  ZJLX: 'id_card',
  ZJHM: '11010519491231002X',
  CF_WSH: '县市监罚〔2026〕7号',
}

async function office() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
  const auditor = await userSession(b, admin, 'audit1', ['auditor'])
  const audit = async (q: object = {}) =>
    (expectOk(await auditor('audit:list', { page: 1, pageSize: 50, ...q })) as { items: AuditEntry[] }).items
  const logins = async (q: object = {}) =>
    (expectOk(await auditor('audit:logins', { page: 1, pageSize: 50, ...q })) as { items: LoginEntry[] }).items
  return { b, admin, clerk, auditor, audit, logins }
}

describe('the audit viewer', () => {
  it('names the objects of each row: users by name, records by 文书号, never a full ID number', async () => {
    const { admin, clerk, audit } = await office()
    const unit = expectOk(await admin('units:create', { parentId: null, name: '县市场监督管理局', kind: 'county_dept', sortOrder: 1 })) as {
      id: number
    }
    expectOk(await clerk('records:create', { itemCode: 'SGS_CF', supplierUnitId: unit.id, values: PENALTY }))
    const rows = await audit()
    const created = rows.find((r) => r.procedure === 'records:create')!
    expect(created.affected).toEqual(expect.arrayContaining([expect.stringMatching(/^记录 县市监罚〔2026〕7号（张某某）$/)]))
    const user = rows.find((r) => r.procedure === 'users:create' && r.affectedIds.length)!
    expect(user.affected[0]).toMatch(/^用户 (clerk1|audit1)（(clerk1|audit1)）$/)
    expect(rows.find((r) => r.procedure === 'units:create')!.affected).toEqual(['单位 县市场监督管理局'])
    expect(JSON.stringify(rows)).not.toContain('11010519491231002X')
    // Not a row of any table: described by its kind.
    expect(rows.every((r) => r.affected.length === r.affectedIds.length)).toBe(true)
  })

  it('says results in words, a refusal apart from a failure', () => {
    expect(resultText('ok')).toBe('成功')
    expect(resultText('FORBIDDEN')).toBe('被拒绝：无权限')
    expect(resultText('SESSION_LOCKED')).toBe('被拒绝：屏幕已锁定')
    expect(resultText('VALIDATION')).toBe('失败：输入无效')
    expect(resultText('DISK_FULL')).toBe('失败：磁盘空间不足')
    expect(resultText('INCIDENT')).toBe('安全事件')
  })

  it('logs sign-out, the idle lock at the moment it fell, and sessions ended by the administrator; 未成功 filters sign-ins only', async () => {
    const { b, admin, clerk, auditor, logins } = await office()
    const start = b.clock.now()
    // Idle for 20 minutes (the lock falls at 15): the next call finds the session locked and logs when it locked.
    b.clock.advance(20 * 60_000)
    errorOf(await clerk('records:stats', { itemCode: null }))
    expectOk(await auditor('auth:unlock', { password: 'Work#2026cc' })) // the auditor idled too
    let rows = await logins({ username: 'clerk1' })
    expect(rows[0]).toMatchObject({ result: 'idle_lock', at: start + 15 * 60_000 + 0 })
    expectOk(await clerk('auth:unlock', { password: 'Work#2026cc' }))
    expectOk(await clerk('auth:logout'))
    rows = await logins({ username: 'clerk1' })
    expect(rows[0]!.result).toBe('logout')

    // Signed in again, then disabled by the administrator: the session ends and says so.
    const sender: Sender = { ...WINDOW, id: 'window-clerk1' }
    expectOk(await admin('auth:unlock', { password: 'Zhang#2026x' }))
    expectOk(await b.dispatch(sender, 'auth:login', { username: 'clerk1', password: 'Work#2026cc' }))
    const clerkId = (expectOk(await admin('users:list', { page: 1, pageSize: 20, keyword: 'clerk1' })) as { items: Array<{ id: number }> })
      .items[0]!.id
    expectOk(await admin('users:set-disabled', { id: clerkId, disabled: true }))
    rows = await logins({ username: 'clerk1' })
    expect(rows.map((r) => r.result).slice(0, 2)).toEqual(['session_end', 'success'])
    errorOf(await b.dispatch({ ...WINDOW, id: 'w2' }, 'auth:login', { username: 'clerk1', password: 'Work#2026cc' }))
    const failed = await logins({ result: 'unsuccessful' })
    expect(failed.map((r) => r.result)).toEqual(['disabled'])
  })

  it('ends every open session in the login log when the app closes', async () => {
    const b = await freshBackend()
    await adminSession(b)
    await b.close()
    unlockDataDir(b.dataDir)
    const { db } = await openDatabase(b.dataDir)
    try {
      expect(await db('login_log').orderBy('id', 'desc').first('username', 'result')).toEqual({ username: 'admin', result: 'session_end' })
    } finally {
      await db.destroy()
      unlockDataDir(b.dataDir)
    }
  })
})
