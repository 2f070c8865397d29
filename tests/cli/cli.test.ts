import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cliErrorText } from '../../electron/cli/cli-errors'
import { AppError } from '../../electron/core/shared/app-error'
import { describe, expect, it } from 'vitest'
import { migrations } from '../../db/migrations'
import { main } from '../../electron/cli/index'
import { completeSetup } from '../../electron/core/system/setup'
import { authenticate } from '../../electron/core/accounts/auth'
import { manualClock } from '../../electron/core/shared/clock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { SETUP, tempDir } from '../helpers'
import { checkUscc } from '../../electron/core/codes/uscc'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'

/** A set-up office's data folder, as the desktop app leaves it after the setup wizard. */
async function officeDir(): Promise<string> {
  const dir = tempDir()
  const { db } = await openDatabase(dir)
  await completeSetup(db, manualClock(), SETUP)
  await db.destroy()
  return dir
}

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { log: (l: string) => out.push(l), error: (l: string) => err.push(l) } }
}

describe('credit-desk check-code', () => {
  it('prints one JSON line per code and exits non-zero when any is invalid', async () => {
    const c = capture()
    const code = await main(['check-code', '91350100M000100Y43', '11010519491231002x', '110105194912310021', 'abc', '--json'], c.io)
    expect(code).toBe(1)
    expect(c.out.map((l) => JSON.parse(l))).toEqual([
      { code: '91350100M000100Y43', kind: 'uscc', valid: true, reason: '校验通过' },
      { code: '11010519491231002X', kind: 'idcard', valid: true, reason: '校验通过' },
      { code: '110105194912310021', kind: 'idcard', valid: false, reason: '身份证号校验位不正确' },
      { code: 'ABC', kind: 'unknown', valid: false, reason: '长度不正确：统一社会信用代码和身份证号都应为 18 位' },
    ])
  })

  it('exits 0 when every code is valid', async () => {
    expect(await main(['check-code', '91350100M000100Y43'], capture().io)).toBe(0)
  })
})

describe('credit-desk db migrate / user reset-password', () => {
  it('migrates a new data folder only when told to create it, then reports it up to date', async () => {
    const dir = tempDir()
    const typo = capture()
    expect(await main(['db', 'migrate', '--data-dir', dir], typo.io)).toBe(1)
    expect(typo.err[0]).toContain('没有信用通数据库')
    expect(readdirSync(dir)).toEqual([])
    const first = capture()
    expect(await main(['db', 'migrate', '--data-dir', dir, '--create'], first.io)).toBe(0)
    expect(first.out[0]).toMatch(new RegExp(`^已升级 ${Object.keys(migrations).length} 项`))
    const second = capture()
    expect(await main(['db', 'migrate', '--data-dir', dir], second.io)).toBe(0)
    expect(second.out[0]).toMatch(/already up to date/)
  })

  it('recovers a locked-out sole administrator offline, audited as a command-line action', async () => {
    const dir = tempDir()
    const clock = manualClock(Date.now())
    let { db } = await openDatabase(dir)
    await completeSetup(db, clock, SETUP)
    for (let i = 0; i < 5; i++) await authenticate(db, clock, 'admin', 'wrong').catch(() => undefined)
    await db.destroy()

    const c = capture()
    expect(await main(['user', 'reset-password', 'admin', '--data-dir', dir], c.io)).toBe(0)
    const temp = c.out.find((l) => l.startsWith('临时密码'))!.split(': ')[1]!
    ;({ db } = await openDatabase(dir))
    const user = await authenticate(db, clock, 'admin', temp)
    expect(user.mustChangePassword).toBe(true)
    const row = await db('audit_log').where('procedure', 'cli:user-reset-password').first()
    expect(row).toMatchObject({ via: 'cli', result: 'ok', affected_ids: '["user:1"]' })
    expect(row!.actor_name).toMatch(/^os:/)
    await db.destroy()
  })

  it('refuses a weak --password and an unknown user', async () => {
    const dir = tempDir()
    const { db } = await openDatabase(dir)
    await completeSetup(db, manualClock(), SETUP)
    await db.destroy()
    const weak = capture()
    expect(await main(['user', 'reset-password', 'admin', '--password', 'short', '--data-dir', dir], weak.io)).toBe(1)
    expect(weak.err[0]).toContain('密码长度至少 8 位')
    const ghost = capture()
    expect(await main(['user', 'reset-password', 'ghost', '--data-dir', dir], ghost.io)).toBe(1)
  })
})

describe('credit-desk records template', () => {
  it('writes the import template of an approved item, and refuses an unknown one', async () => {
    const dir = await officeDir()
    const file = `${dir}/许可模板.xlsx`
    const c = capture()
    expect(await main(['records', 'template', '--item', 'SGS_XK', '--out', file, '--data-dir', dir], c.io)).toBe(0)
    expect(c.out[0]).toContain('行政许可信息（SGS_XK v1，28 个数据项）')
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    expect(wb.getWorksheet('行政许可信息')!.getRow(2).getCell(1).value).toBe('XDR_MC')
    const missing = capture()
    expect(await main(['records', 'template', '--item', 'NOPE', '--out', file, '--data-dir', dir], missing.io)).toBe(1)
    expect(missing.err[0]).toContain('NOPE')
  })
})

describe('credit-desk records import', () => {
  it('checks with --dry-run, imports valid rows with --valid-only, and explains a rejected file', async () => {
    const dir = await officeDir()
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('许可')
    const row = {
      XDR_MC: '某某餐饮有限公司',
      XDR_LB: '法人和非法人组织',
      XDR_SHXYM: '91350100M000100Y43',
      XK_XKWS: '食品经营许可决定书',
      XK_WSH: '许〔2026〕1号',
      XK_XKLB: '普通',
      XK_NR: '预包装食品销售',
      XK_JDRQ: '2026-11-02',
      XK_YXQZ: '2026-11-02',
      XK_YXQZI: '2031-11-01',
      XK_XKJG: '某县市场监督管理局',
      XK_XKJGDM: '91440300708461136T',
      XK_ZT: '有效',
      XK_LYDW: '某县市场监督管理局',
      XK_LYDWDM: '91440300708461136T',
    }
    ws.addRow(Object.keys(row))
    ws.addRow(Object.values(row))
    ws.addRow(Object.values({ ...row, XK_WSH: '许〔2026〕2号', XK_XKJGDM: '91440300708461136X' }))
    const file = `${dir}/许可.xlsx`
    await wb.xlsx.writeFile(file)

    const dry = capture()
    expect(await main(['records', 'import', '--item', 'SGS_XK', file, '--dry-run', '--json', '--data-dir', dir], dry.io)).toBe(1)
    expect(JSON.parse(dry.out[0]!)).toEqual({ row: 3, column: '许可机关统一社会信用代码', reason: '统一社会信用代码校验位不正确' })
    expect(JSON.parse(dry.out.at(-1)!).summary).toMatchObject({ rows: 2, valid: 1, invalid: 1, imported: 0, dryRun: true })

    const all = capture()
    expect(await main(['records', 'import', '--item', 'SGS_XK', file, '--data-dir', dir, '--errors', `${dir}/错误.xlsx`], all.io)).toBe(1)
    expect(all.out.at(-1)).toContain('已导入 0 条')
    const some = capture()
    expect(await main(['records', 'import', '--item', 'SGS_XK', file, '--valid-only', '--data-dir', dir], some.io)).toBe(1)
    expect(some.out.at(-1)).toContain('已导入 1 条')

    const bad = capture()
    const { writeFileSync } = await import('node:fs')
    writeFileSync(`${dir}/x.xlsx`, 'not a workbook')
    expect(await main(['records', 'import', '--item', 'SGS_XK', `${dir}/x.xlsx`, '--data-dir', dir], bad.io)).toBe(1)
    expect(bad.err[0]).toBe('文件已损坏或不是 Excel 工作簿（.xlsx）')
  })
})

describe('credit-desk catalog list', () => {
  it('lists the live catalog items as JSON lines', async () => {
    const dir = await officeDir()
    const c = capture()
    expect(await main(['catalog', 'list', '--json', '--data-dir', dir], c.io)).toBe(0)
    expect(c.out.map((l) => JSON.parse(l))).toEqual([
      { code: 'SGS_CF', version: 1, status: 'approved', name: '行政处罚信息', category: '行政处罚', infoClass: 'bad', fields: 31 },
      { code: 'SGS_XK', version: 1, status: 'approved', name: '行政许可信息', category: '行政许可', infoClass: 'basic', fields: 28 },
      {
        code: 'XYCN_WN',
        version: 1,
        status: 'approved',
        name: '信用承诺违诺信息',
        category: '信用承诺及履行情况信息',
        infoClass: 'bad',
        fields: 13,
      },
    ])
  })
})

describe('credit-desk demo seed', () => {
  it('fills a data folder with valid, traceable records, some late and some past disclosure, and prints a JSON summary', async () => {
    const dir = tempDir()
    const c = capture()
    expect(await main(['demo', 'seed', '--records', '600', '--people', '60', '--data-dir', dir, '--json'], c.io)).toBe(0)
    const summary = JSON.parse(c.out.at(-1)!)
    expect(summary).toMatchObject({
      dataDir: dir,
      units: { created: 10 },
      records: { total: 600, byItem: { SGS_XK: 200, SGS_CF: 400 } },
      people: { total: 60 },
    })
    expect(summary.people.entries).toBeGreaterThan(60 * 3)
    expect(Object.values(summary.people.byGrade as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(60)
    expect(summary.records.late).toBeGreaterThan(20)
    expect(summary.records.disclosureEnded).toBeGreaterThan(20)
    expect(summary.records.naturalPersons).toBeGreaterThan(20)

    const { db } = await openDatabase(dir)
    try {
      const { checkUscc } = await import('../../electron/core/codes/uscc')
      const codes = (await db('records').whereNotNull('subject_code').pluck('subject_code')) as string[]
      expect(codes.length).toBeGreaterThan(400)
      expect(codes.every((code) => checkUscc(code).valid)).toBe(true)
      expect(Number((await db('records').where('is_late', true).count({ n: '*' }))[0]!.n)).toBe(summary.records.late)
      // Every record names the department that supplied it; ID numbers are sealed, not stored in the clear.
      expect(Number((await db('records').whereNull('supplier_unit_id').count({ n: '*' }))[0]!.n)).toBe(0)
      const persons = await db('records').whereNotNull('subject_id_index').select('data', 'sealed')
      expect(persons.length).toBe(summary.records.naturalPersons)
      expect(JSON.parse(persons[0]!.data).ZJHM).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/)
      expect(await db('audit_log').where('procedure', 'cli:demo-seed').count({ n: '*' })).toEqual([{ n: 1 }])
      // Archive entries fit each person's service (the same checks as typed entries).
      const early = await db('archive_entries as e')
        .join('people as p', 'p.id', 'e.person_id')
        .whereRaw('e.year < CAST(substr(p.entry_date, 1, 4) AS INTEGER)')
        .count({ n: '*' })
      expect(early).toEqual([{ n: 0 }])
    } finally {
      await db.destroy()
    }
  })
})

describe('the command line on a folder that is not a set-up office', () => {
  it('refuses a mistyped folder, and package and import work on a folder whose office was never set up', async () => {
    const typo = capture()
    const missing = `${tempDir()}/不存在`
    expect(await main(['catalog', 'list', '--data-dir', missing], typo.io)).toBe(1)
    expect(typo.err[0]).toContain('请检查 --data-dir 是否写错')
    const dir = tempDir()
    expect(await main(['db', 'migrate', '--create', '--data-dir', dir], capture().io)).toBe(0)
    writeFileSync(`${dir}/x.xlsx`, '') // the file is there: what stops the import is the office
    for (const args of [
      ['package', 'export', '--to', `${dir}/x.cdpkg`],
      ['keys', 'export-public', '--out', `${dir}/k.pem`],
      ['records', 'import', '--item', 'SGS_XK', `${dir}/x.xlsx`],
    ]) {
      const c = capture()
      expect(await main([...args, '--data-dir', dir], c.io), args.join(' ')).toBe(1)
      expect(c.err[0]).toContain('尚未完成初始设置')
    }
  })

  it('demo seed sets up a demo office with one-time accounts, so the folder opens past the setup wizard', async () => {
    const dir = tempDir()
    const c = capture()
    expect(await main(['demo', 'seed', '--records', '20', '--data-dir', dir, '--json'], c.io)).toBe(0)
    const summary = JSON.parse(c.out.at(-1)!) as {
      office: string
      accounts: Array<{ username: string; roles: string[]; password: string }>
    }
    expect(summary.office).toBe('演示县社会信用体系建设领导小组办公室')
    expect(summary.accounts.map((a) => [a.username, a.roles])).toEqual([
      ['admin', ['admin']],
      ['clerk', ['clerk']],
      ['supervisor', ['supervisor']],
      ['auditor', ['auditor']],
    ])
    const { db } = await openDatabase(dir)
    try {
      const { getSettings, isSetupDone } = await import('../../electron/core/system/settings')
      expect(await isSetupDone(db)).toBe(true)
      expect(checkUscc((await getSettings(db)).orgCreditCode).valid).toBe(true)
      for (const a of summary.accounts) {
        const user = await authenticate(db, manualClock(), a.username, a.password)
        expect(user.mustChangePassword, a.username).toBe(true)
      }
    } finally {
      await db.destroy()
      unlockDataDir(dir)
    }
    // Seeding again adds data to the same office, and makes no new accounts.
    const again = capture()
    expect(await main(['demo', 'seed', '--records', '5', '--seed', '2', '--data-dir', dir, '--json'], again.io)).toBe(0)
    expect(JSON.parse(again.out.at(-1)!).accounts).toBeUndefined()
  })
})

describe('errors on the command line', () => {
  it('says in Chinese what stopped a command: a missing file, a folder for a file, an unknown option, a damaged database', async () => {
    const dir = await officeDir()
    const run = async (...argv: string[]) => {
      const c = capture()
      const code = await main(argv, c.io)
      return { code, err: c.err.join('\n') }
    }
    const missing = await run('plan', 'parse', join(dir, '没有这个文件.docx'))
    expect(missing).toMatchObject({ code: 1, err: expect.stringMatching(/^找不到文件或目录：.*没有这个文件\.docx/) })
    expect(await run('records', 'import', '--item', 'SGS_CF', dir, '--data-dir', dir)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^这是一个目录，需要的是文件：/),
    })
    expect(await run('package', 'import', join(dir, 'none.cdpkg'), '--data-dir', dir)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^找不到文件或目录/),
    })
    expect(await run('catalog', 'list', '--bogus')).toMatchObject({ code: 1, err: expect.stringMatching(/^未知参数/) })
    // Not a database at all: the start-up explanation, no stack.
    const broken = tempDir()
    writeFileSync(join(broken, 'credit-desk.sqlite'), 'not a database')
    const damaged = await run('catalog', 'list', '--data-dir', broken)
    expect(damaged.code).toBe(1)
    expect(damaged.err).toContain('数据库文件已损坏')
    expect(damaged.err).not.toMatch(/\n\s+at /)
  })

  it('turns system and database errors into Chinese sentences, the original after " / "', () => {
    expect(cliErrorText(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toMatch(
      /^磁盘空间不足 \/ ENOSPC/,
    )
    expect(cliErrorText(Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES', path: '/x' }))).toMatch(
      /^没有权限访问：\/x \//,
    )
    expect(cliErrorText(Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }))).toMatch(
      /^数据库正被其他程序使用/,
    )
    expect(cliErrorText(new Error('insert into `records` - SQLITE_CONSTRAINT: UNIQUE constraint failed'))).toMatch(/^数据与已有记录冲突/)
    expect(cliErrorText(new AppError('FORBIDDEN', 'role not allowed'))).toBe('无权限 / role not allowed')
    expect(cliErrorText(new TypeError('x is undefined'))).toMatch(/^命令未能完成（程序内部错误/)
  })
})
