import { hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { adminSession, errorOf, expectOk, freshBackend, ORIGIN, SETUP, WINDOW } from '../helpers'

describe('router: who may call', () => {
  it('refuses a call from a sub-frame or a foreign page, and logs it', async () => {
    const b = await freshBackend()
    const fromFrame = await b.dispatch({ ...WINDOW, isMainFrame: false }, 'auth:me', {})
    const fromElsewhere = await b.dispatch({ ...WINDOW, url: 'https://evil.example/' }, 'auth:me', {})
    expect(errorOf(fromFrame).code).toBe('UNTRUSTED_SENDER')
    expect(errorOf(fromElsewhere).code).toBe('UNTRUSTED_SENDER')
    expect(await b.db('audit_log').pluck('result')).toEqual(['UNTRUSTED_SENDER', 'UNTRUSTED_SENDER'])
    expect(b.logger.lines.filter((l) => l.event === 'ipc.untrusted-sender')).toHaveLength(2)
  })

  it('refuses unknown procedures and malformed payloads, and logs them', async () => {
    const b = await freshBackend()
    expect(errorOf(await b.dispatch(WINDOW, 'fs:read', {})).code).toBe('UNKNOWN_PROCEDURE')
    const bad = errorOf(await b.dispatch(WINDOW, 'auth:login', { username: 42 }))
    expect(bad.code).toBe('VALIDATION')
    expect(bad.details!.fields!.map((f) => f.path)).toEqual(['username', 'password'])
    expect(await b.db('audit_log').pluck('result')).toEqual(['UNKNOWN_PROCEDURE', 'VALIDATION'])
  })

  it('requires a session and the right role; the refusal is audited', async () => {
    const b = await freshBackend()
    expect(errorOf(await b.dispatch(WINDOW, 'users:list', {})).code).toBe('NOT_AUTHENTICATED')
    const call = await adminSession(b)
    expectOk(await call('users:create', { username: 'audit1', displayName: '赵审计', roles: ['auditor'], initialPassword: 'Init#2026b' }))
    expect(errorOf(await call('audit:list', {})).code).toBe('FORBIDDEN') // admin cannot read the audit log
    const other = { ...WINDOW, id: '2' }
    expectOk(await b.dispatch(other, 'auth:login', { username: 'audit1', password: 'Init#2026b' }))
    expect(errorOf(await b.dispatch(other, 'audit:list', {})).code).toBe('PASSWORD_CHANGE_REQUIRED')
    expectOk(await b.dispatch(other, 'auth:change-password', { oldPassword: 'Init#2026b', newPassword: 'Audit#2026c' }))
    const page = expectOk(await b.dispatch(other, 'audit:list', { result: 'error' })) as {
      items: Array<{ procedure: string; result: string; actorName: string }>
    }
    expect(page.items.map((i) => [i.procedure, i.result, i.actorName])).toEqual([
      ['audit:list', 'FORBIDDEN', 'admin'],
      ['users:list', 'NOT_AUTHENTICATED', null],
    ])
    expect(errorOf(await b.dispatch(other, 'users:list', {})).code).toBe('FORBIDDEN') // the auditor does nothing else
  })

  it('applies role changes and disabling at once, without a new login', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    const { id } = expectOk(
      await call('users:create', { username: 'sup', displayName: '审核', roles: ['admin'], initialPassword: 'Init#2026b' }),
    ) as { id: number }
    const sup = { ...WINDOW, id: '2' }
    expectOk(await b.dispatch(sup, 'auth:login', { username: 'sup', password: 'Init#2026b' }))
    expectOk(await b.dispatch(sup, 'auth:change-password', { oldPassword: 'Init#2026b', newPassword: 'Revw#2026cc' }))
    expectOk(await b.dispatch(sup, 'users:list', {}))
    expectOk(await call('users:update', { id, displayName: '审核', roles: ['supervisor'] }))
    expect(errorOf(await b.dispatch(sup, 'users:list', {})).code).toBe('FORBIDDEN')
    expectOk(await call('users:set-disabled', { id, disabled: true }))
    expect(errorOf(await b.dispatch(sup, 'units:tree', {})).code).toBe('NOT_AUTHENTICATED')
  })
})

describe('router: idle lock', () => {
  it('locks an idle session; only the password unlocks it; five wrong tries end it', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    b.clock.advance(14 * 60_000)
    expectOk(await call('units:tree'))
    b.clock.advance(15 * 60_000 + 1)
    expect(errorOf(await call('units:tree')).code).toBe('SESSION_LOCKED')
    expect(errorOf(await call('auth:heartbeat')).code).toBe('SESSION_LOCKED') // activity does not unlock
    expect((expectOk(await call('auth:me')) as { locked: boolean }).locked).toBe(true)
    expect(errorOf(await call('auth:unlock', { password: 'wrong' })).code).toBe('WRONG_PASSWORD')
    expectOk(await call('auth:unlock', { password: SETUP.adminPassword }))
    expectOk(await call('units:tree'))
    b.clock.advance(16 * 60_000)
    for (let i = 0; i < 4; i++) expect(errorOf(await call('auth:unlock', { password: 'wrong' })).code).toBe('WRONG_PASSWORD')
    expect(errorOf(await call('auth:unlock', { password: 'wrong' })).code).toBe('NOT_AUTHENTICATED')
    expect((expectOk(await call('auth:me')) as { user: unknown }).user).toBeNull()
  })

  it('follows the configured idle time', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    expectOk(
      await call('settings:update', {
        orgName: SETUP.orgName,
        regionCode: SETUP.regionCode,
        orgCreditCode: SETUP.orgCreditCode,
        idleLockMinutes: 2,
      }),
    )
    b.clock.advance(2 * 60_000 + 1)
    expect(errorOf(await call('units:tree')).code).toBe('SESSION_LOCKED')
  })
})

describe('router: audit and results', () => {
  it('writes the change and its audit row together, with affected ids; a failed change leaves only a failure row', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    const { id } = expectOk(await call('units:create', { name: '县市场监督管理局', kind: 'county_dept' })) as { id: number }
    const dup = errorOf(await call('units:create', { name: '县市场监督管理局', kind: 'county_dept' }))
    expect(dup.details!.fields).toEqual([{ path: 'name', message: 'unit.nameTaken' }])
    const rows = await b.db('audit_log').where('procedure', 'units:create').orderBy('id').select('affected_ids', 'result', 'actor_name')
    expect(rows).toEqual([
      { affected_ids: JSON.stringify([`unit:${id}`]), result: 'ok', actor_name: 'admin' },
      { affected_ids: '[]', result: 'VALIDATION', actor_name: 'admin' },
    ])
    expect(await b.db('org_units').count({ n: '*' })).toEqual([{ n: 1 }])
  })

  it('rolls the change back if its audit row cannot be written', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    await b.db.raw(
      "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN NEW.procedure = 'units:create' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    )
    const res = errorOf(await call('units:create', { name: '县税务局', kind: 'county_dept' }))
    expect(res.code).toBe('INTERNAL')
    expect(await b.db('org_units').count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('never returns more than the contract names: no password hash reaches the renderer', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    const page = expectOk(await call('users:list', {})) as { items: Array<Record<string, unknown>> }
    expect(Object.keys(page.items[0]!)).not.toContain('passwordHash')
    expect(JSON.stringify(page)).not.toMatch(/scrypt/)
  })

  it('hides internal failures behind an incident id; the details stay in the log file', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    await b.db.schema.dropTable('dict_items')
    const err = errorOf(await call('dicts:types'))
    expect(err.code).toBe('INTERNAL')
    expect(JSON.stringify(err)).not.toMatch(/dict_items|SELECT/i)
    const incident = (err.details as { incidentId: string }).incidentId
    expect(b.logger.lines.find((l) => l.fields?.incidentId === incident)?.fields?.error).toMatch(/dict_items/)
  })

  it('exports the filtered log to a real xlsx at the chosen path; a cancelled dialog writes nothing', async () => {
    const b = await freshBackend()
    const call = await adminSession(b)
    expectOk(await call('users:create', { username: 'audit1', displayName: '赵审计', roles: ['auditor'], initialPassword: 'Init#2026b' }))
    const aud = { ...WINDOW, id: '9' }
    expectOk(await b.dispatch(aud, 'auth:login', { username: 'audit1', password: 'Init#2026b' }))
    expectOk(await b.dispatch(aud, 'auth:change-password', { oldPassword: 'Init#2026b', newPassword: 'Audit#2026c' }))
    expect(expectOk(await b.dispatch(aud, 'audit:export', { kind: 'operations', filter: {} }))).toEqual({
      cancelled: true,
      fileName: null,
      rows: 0,
    })
    b.savePath.value = join(b.dataDir, '操作日志.xlsx')
    const res = expectOk(await b.dispatch(aud, 'audit:export', { kind: 'operations', filter: { actor: 'admin' } })) as { rows: number }
    expect(res.rows).toBe(1) // setup ran before login (no actor); admin then created one user
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(b.savePath.value)
    const ws = wb.getWorksheet('操作日志')!
    expect(ws.getRow(1).values).toEqual([
      undefined,
      '编号',
      '时间（北京时间）',
      '操作人',
      '操作',
      '操作代码',
      '涉及对象',
      '对象编号',
      '结果',
      '结果代码',
      '工作站（主机与系统账户）',
    ])
    expect(ws.getRow(2).getCell(3).value).toBe('admin')
    expect(ws.getRow(2).getCell(4).value).toBe('新增用户')
    expect(String(ws.getRow(2).getCell(6).value)).toMatch(/^用户 .+（.+）$/) // the new user by name
    expect(String(ws.getRow(2).getCell(7).value)).toMatch(/^user:\d+$/)
    expect(ws.getRow(2).getCell(8).value).toBe('成功')
    expect(ws.getRow(2).getCell(10).value).toBe(`${hostname()}（${userInfo().username}）`)
    expect(ws.rowCount).toBe(2)
  })
})

describe('trusted origin check', () => {
  it('compares scheme and host even for custom schemes', async () => {
    const { trustOrigin } = await import('../../electron/main/ipc/router')
    const trusted = trustOrigin(ORIGIN)
    expect(trusted({ id: '1', url: 'app://credit-desk/index.html#/login', isMainFrame: true })).toBe(true)
    expect(trusted({ id: '1', url: 'app://other/index.html', isMainFrame: true })).toBe(false)
    expect(trusted({ id: '1', url: 'file:///etc/passwd', isMainFrame: true })).toBe(false)
    expect(trusted({ id: '1', url: 'not a url', isMainFrame: true })).toBe(false)
  })
})
