// Integrity archives through the real router: registry with sealed ID numbers, entries checked
// against service, grading rules and overrides with history, scope by unit tree, access requests
// approved by another person, self and recusal refusals, and an audit trail of every look.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { Archive, PersonSummary } from '../../electron/contract/schemas/archives'
import { DB_FILE } from '../../electron/core/shared/open-database'
import { attachmentPath, readAttachment } from '../../electron/core/attachments/attachment-store'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { WINDOW, adminSession, errorOf, expectOk, freshBackend, tempDir, userSession } from '../helpers'

const ID = '11010519491231002X'

async function setup() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const county = (
    expectOk(await admin('units:create', { parentId: null, name: '县发展和改革局', kind: 'county_dept', sortOrder: 1 })) as { id: number }
  ).id
  const office = (
    expectOk(await admin('units:create', { parentId: county, name: '县信用办', kind: 'other', sortOrder: 1 })) as { id: number }
  ).id
  const other = (
    expectOk(await admin('units:create', { parentId: null, name: '县财政局', kind: 'county_dept', sortOrder: 2 })) as { id: number }
  ).id
  const clerk = await userSession(b, admin, 'keeper', ['clerk'])
  const supervisor = await userSession(b, admin, 'boss', ['supervisor'])
  const auditor = await userSession(b, admin, 'audit1', ['auditor'])
  const clerkId = (await b.db('users').where('username', 'keeper').first('id'))!.id
  const bossId = (await b.db('users').where('username', 'boss').first('id'))!.id
  // The keeper sees the 发改局 subtree; the supervisor everything.
  expectOk(await admin('users:update', { id: clerkId, displayName: 'keeper', roles: ['clerk'], unitId: county, archiveScope: 'subtree' }))
  expectOk(await admin('users:update', { id: bossId, displayName: 'boss', roles: ['supervisor'], unitId: county, archiveScope: 'all' }))
  return { b, admin, clerk, supervisor, auditor, units: { county, office, other }, clerkId, bossId }
}

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

describe('integrity archives through the router', () => {
  it('registers a person with a sealed ID number and derived sex, and refuses a duplicate', async () => {
    const { b, clerk, units } = await setup()
    expect(errorOf(await clerk('people:create', person(units.office, { idNumber: '110105194912310021' }))).details!.fields).toEqual([
      { path: 'idNumber', message: 'idcard.checkChar' },
    ])
    const { id } = expectOk(await clerk('people:create', person(units.office))) as { id: number }
    expect(errorOf(await clerk('people:create', person(units.office, { idNumber: '11010519491231002x' }))).details!.fields).toEqual([
      { path: 'idNumber', message: 'person.duplicate' },
    ])
    const p = expectOk(await clerk('people:get', { personId: id })) as PersonSummary
    // Without a grant the birth date stays hidden: beside the masked number it is the rest of the number.
    expect(p).toMatchObject({
      idMasked: '110105********002X',
      sex: 'F',
      birthDate: null,
      grade: 'trustworthy',
      access: { grantedUntil: null, pending: false, refused: null },
    })
    expect((expectOk(await clerk('people:list', {})) as { items: PersonSummary[] }).items[0]!.birthDate).toBeNull()
    // Found by the full number, never by the masked one.
    expect((expectOk(await clerk('people:list', { keyword: ID })) as { total: number }).total).toBe(1)
    expect((expectOk(await clerk('people:list', { keyword: '110105********002X' })) as { total: number }).total).toBe(0)
    await b.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(b.dataDir, DB_FILE)).includes(Buffer.from(ID))).toBe(false)
    expect(readFileSync(join(b.dataDir, DB_FILE)).includes(Buffer.from('110105194912310'))).toBe(false)
  })

  it('opening a full archive needs a request approved by someone else; reads without it are refused and logged', async () => {
    const { clerk, supervisor, auditor, units } = await setup()
    const { id } = expectOk(await clerk('people:create', person(units.office))) as { id: number }
    const denied = errorOf(await clerk('archives:open', { personId: id }))
    expect(denied).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'no_grant' } })
    expect(errorOf(await clerk('archives:reveal-id', { personId: id })).code).toBe('FORBIDDEN')

    const req = (expectOk(await clerk('archives:request-access', { personId: id, reason: '干部任用前考察', days: 3 })) as { id: number }).id
    expect(errorOf(await clerk('archives:decide-access', { id: req, decision: 'approved', comment: '同意' })).code).toBe('FORBIDDEN') // clerks do not approve
    expectOk(await supervisor('archives:decide-access', { id: req, decision: 'approved', comment: '同意查阅3天' }))
    const archive = expectOk(await clerk('archives:open', { personId: id })) as Archive
    expect(archive.person).toMatchObject({ name: '张伟', birthDate: '1949-12-31' })
    expect((expectOk(await clerk('people:get', { personId: id })) as PersonSummary).birthDate).toBe('1949-12-31')
    expect(expectOk(await clerk('archives:reveal-id', { personId: id }))).toEqual({ idNumber: ID })

    const log = expectOk(await auditor('audit:list', { pageSize: 50 })) as {
      items: Array<{ procedure: string; actorName: string; result: string; affectedIds: string[] }>
    }
    const trail = log.items
      .filter((i) => i.procedure.startsWith('archives:'))
      .map((i) => `${i.actorName} ${i.procedure} ${i.result}`)
      .reverse()
    expect(log.items.find((i) => i.procedure === 'archives:open' && i.result === 'FORBIDDEN')!.affectedIds).toEqual([
      `person:${id}`,
      'view:archive',
    ])
    expect(trail).toEqual([
      'keeper archives:open FORBIDDEN',
      'keeper archives:reveal-id FORBIDDEN',
      'keeper archives:request-access ok',
      'keeper archives:decide-access FORBIDDEN',
      'boss archives:decide-access ok',
      'keeper archives:open ok',
      'keeper archives:reveal-id ok',
    ])
  })

  it('the grant expires with its days', async () => {
    const { b, clerk, supervisor, units } = await setup()
    const { id } = expectOk(await clerk('people:create', person(units.office))) as { id: number }
    const req = (expectOk(await clerk('archives:request-access', { personId: id, reason: '年度考核', days: 1 })) as { id: number }).id
    expectOk(await supervisor('archives:decide-access', { id: req, decision: 'approved', comment: '同意' }))
    expectOk(await clerk('archives:open', { personId: id }))
    b.clock.advance(86_400_000 + 1000)
    expectOk(await clerk('auth:unlock', { password: 'Work#2026cc' })) // idle for a day: the screen locked too
    expect(errorOf(await clerk('archives:open', { personId: id })).details).toMatchObject({ reason: 'no_grant' })
  })

  it('nobody opens their own archive, or one they are recused from', async () => {
    const { clerk, supervisor, units, bossId } = await setup()
    const own = (expectOk(await clerk('people:create', person(units.county, { name: '周审核', userId: bossId }))) as { id: number }).id
    expect(errorOf(await supervisor('archives:request-access', { personId: own, reason: '看看', days: 1 })).details).toMatchObject({
      reason: 'self',
    })
    const other = (
      expectOk(await clerk('people:create', person(units.office, { name: '李四', idNumber: '110101199003077774' }))) as { id: number }
    ).id
    // The supervisor picks whom a recusal applies to from the archive workers' names.
    expect(expectOk(await supervisor('archives:colleagues'))).toEqual(expect.arrayContaining([{ id: bossId, displayName: 'boss' }]))
    expect(errorOf(await clerk('archives:colleagues')).code).toBe('FORBIDDEN')
    expectOk(await supervisor('archives:recuse', { userId: bossId, personId: other, reason: '近亲属' }))
    const req = (expectOk(await clerk('archives:request-access', { personId: other, reason: '考察', days: 1 })) as { id: number }).id
    // A recused supervisor cannot approve access to that archive either.
    expect(errorOf(await supervisor('archives:decide-access', { id: req, decision: 'approved', comment: '同意' })).details).toMatchObject({
      reason: 'recused',
    })
  })

  it('lists follow the unit tree: the keeper sees 发改局 and below, not 财政局', async () => {
    const ctx = await setup()
    const { clerk, supervisor, units } = ctx
    const { b, admin } = ctx
    expectOk(await clerk('people:create', person(units.office)))
    expect(
      errorOf(await clerk('people:create', person(units.other, { name: '王五', idNumber: '110101199003071233' }))).details!.fields,
    ).toEqual([{ path: 'unitId', message: 'unit.outOfScope' }])
    expectOk(
      await admin('users:create', {
        username: 'keeper2',
        displayName: '财政局档案员',
        roles: ['clerk'],
        unitId: units.other,
        initialPassword: 'Init#2026b',
      }),
    )
    const keeper2 = { ...WINDOW, id: 'window-keeper2' }
    expectOk(await b.dispatch(keeper2, 'auth:login', { username: 'keeper2', password: 'Init#2026b' }))
    expectOk(await b.dispatch(keeper2, 'auth:change-password', { oldPassword: 'Init#2026b', newPassword: 'Work#2026cc' }))
    expectOk(await b.dispatch(keeper2, 'people:create', person(units.other, { name: '王五', idNumber: '110101199003071233' })))
    const seen = expectOk(await clerk('people:list', {})) as { items: PersonSummary[] }
    expect(seen.items.map((p) => p.name)).toEqual(['张伟'])
    const all = expectOk(await supervisor('people:list', {})) as { items: PersonSummary[] }
    expect(all.items.map((p) => p.name).sort()).toEqual(['张伟', '王五'].sort())
    const outside = all.items.find((p) => p.name === '王五')!
    expect(errorOf(await clerk('people:get', { personId: outside.id })).code).toBe('NOT_FOUND')
  })

  it('entries are checked against the person’s service; the grade follows the rules, with reasons and history', async () => {
    const { clerk, supervisor, units } = await setup()
    const { id } = expectOk(await clerk('people:create', person(units.office, { entryDate: '2015-08-01' }))) as { id: number }
    const entry = { personId: id, title: '2014年度考核', docNumber: '发改人〔2015〕3号', docDate: '2015-01-20', issuer: '县发展和改革局' }
    expect(
      errorOf(await clerk('archives:add-entry', { ...entry, kind: 'assessment', year: 2014, result: 'competent' })).details!.fields,
    ).toEqual([{ path: 'year', message: 'entry.notEmployed', params: { from: 2015, to: 2026 } }])
    expectOk(
      await clerk('archives:add-entry', {
        ...entry,
        kind: 'assessment',
        year: 2025,
        result: 'competent',
        title: '2025年度考核',
        docDate: '2026-01-20',
      }),
    )
    expect(
      errorOf(
        await clerk('archives:add-entry', {
          ...entry,
          kind: 'assessment',
          year: 2025,
          result: 'excellent',
          title: '2025年度考核',
          docDate: '2026-01-21',
        }),
      ).details!.fields,
    ).toEqual([{ path: 'year', message: 'entry.assessmentExists' }])
    // A 记过 within 24 months: 基本守信, with the reason.
    const sanction = expectOk(
      await clerk('archives:add-entry', {
        personId: id,
        kind: 'violation',
        result: 'demerit',
        title: '违反工作纪律',
        docNumber: '纪〔2026〕5号',
        docDate: '2026-03-02',
        issuer: '县纪委监委',
        effectUntil: '2027-03-01',
      }),
    ) as { gradeChanged: boolean }
    expect(sanction.gradeChanged).toBe(true)
    expect((expectOk(await clerk('people:get', { personId: id })) as PersonSummary).grade).toBe('basically_trustworthy')

    // The supervisor overrides with a reason; a later 降级 (rules now say 失信) ends the override.
    expect(errorOf(await clerk('archives:grade-override', { personId: id, grade: 'trustworthy', reason: '已整改' })).code).toBe('FORBIDDEN')
    expectOk(
      await supervisor('archives:grade-override', { personId: id, grade: 'trustworthy', reason: '处分系程序性问题，经复核维持守信' }),
    )
    expect(expectOk(await clerk('people:get', { personId: id })) as PersonSummary).toMatchObject({
      grade: 'trustworthy',
      gradeSource: 'override',
    })
    expectOk(
      await clerk('archives:add-entry', {
        personId: id,
        kind: 'violation',
        result: 'demotion',
        title: '违规兼职',
        docNumber: '纪〔2026〕9号',
        docDate: '2026-06-02',
        issuer: '县纪委监委',
      }),
    )
    expect(expectOk(await clerk('people:get', { personId: id })) as PersonSummary).toMatchObject({
      grade: 'dishonest',
      gradeSource: 'rules',
    })

    const req = (expectOk(await clerk('archives:request-access', { personId: id, reason: '核对', days: 1 })) as { id: number }).id
    expectOk(await supervisor('archives:decide-access', { id: req, decision: 'approved', comment: '同意' }))
    const archive = expectOk(await clerk('archives:open', { personId: id })) as Archive
    expect(archive.gradeReasons).toEqual(['受到降级、记大过处分：2026-06-02 违规兼职', '受到警告、记过处分：2026-03-02 违反工作纪律'])
    expect(archive.gradeHistory.map((h) => `${h.grade}/${h.source}`)).toEqual([
      'dishonest/rules',
      'trustworthy/override',
      'basically_trustworthy/rules',
      'trustworthy/rules',
    ])
    expect(archive.gradeHistory[1]).toMatchObject({ reasons: ['处分系程序性问题，经复核维持守信'], decidedByName: 'boss' })

    // A person who retired gets nothing dated after it.
    expectOk(
      await clerk('people:update', {
        id,
        ...person(units.office, { entryDate: '2015-08-01', status: 'retired', statusDate: '2026-09-30' }),
        idNumber: undefined,
      }),
    )
    expect(
      errorOf(
        await clerk('archives:add-entry', { personId: id, kind: 'award', title: '优秀共产党员', docDate: '2026-10-08', issuer: '县委' }),
      ).details!.fields,
    ).toEqual([{ path: 'docDate', message: 'entry.afterLeaving', params: { status: '退休', date: '2026-09-30' } }])
  })

  it('stores a scan once by content, sealed, and refuses a file that is not what its name says or too large', async () => {
    const ctx = await setup()
    const { b, clerk, units } = ctx
    const { id } = expectOk(await clerk('people:create', person(units.office))) as { id: number }
    const entry = (
      expectOk(
        await clerk('archives:add-entry', {
          personId: id,
          kind: 'award',
          title: '优秀公务员',
          docDate: '2025-12-30',
          issuer: '县人民政府',
        }),
      ) as { id: number }
    ).id
    const dir = tempDir()
    const pdf = join(dir, '嘉奖令.pdf')
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')
    const fake = join(dir, '扫描件.pdf')
    writeFileSync(fake, 'MZ this is an executable')
    b.openPath.value = fake
    expect(errorOf(await clerk('archives:attach', { entryId: entry }))).toMatchObject({
      code: 'ATTACHMENT_REJECTED',
      details: { reason: 'mismatch' },
    })
    b.openPath.value = pdf
    expect(expectOk(await clerk('archives:attach', { entryId: entry }))).toEqual({ attached: true, fileName: '嘉奖令.pdf' })
    const second = (
      expectOk(
        await clerk('archives:add-entry', { personId: id, kind: 'award', title: '嘉奖', docDate: '2025-12-31', issuer: '县人民政府' }),
      ) as { id: number }
    ).id
    expectOk(await clerk('archives:attach', { entryId: second }))
    expect(await b.db('attachments').count({ n: '*' })).toEqual([{ n: 1 }])
    expect(await b.db('entry_attachments').count({ n: '*' })).toEqual([{ n: 2 }])
    // Stored sealed: the file on disk is not the scan, and opens back to it with the key.
    const { digest } = (await b.db('attachments').first('digest'))!
    const stored = readFileSync(attachmentPath(b.dataDir, digest))
    expect(stored.includes(Buffer.from('%PDF-1.4'))).toBe(false)
    const keys = await loadFieldKeys(b.db, b.dataDir, noProtector)
    expect(readAttachment(keys, b.dataDir, digest)).toEqual(readFileSync(pdf))
    // Viewing needs the grant; then the scan comes back whole.
    expect(errorOf(await clerk('archives:attachment', { personId: id, digest })).details).toMatchObject({ reason: 'no_grant' })
    const req = (expectOk(await clerk('archives:request-access', { personId: id, reason: '核对材料', days: 1 })) as { id: number }).id
    expectOk(await ctx.supervisor('archives:decide-access', { id: req, decision: 'approved', comment: '同意' }))
    const shown = expectOk(await clerk('archives:attachment', { personId: id, digest })) as {
      fileName: string
      mime: string
      base64: string
    }
    expect(shown).toMatchObject({ fileName: '嘉奖令.pdf', mime: 'application/pdf' })
    expect(Buffer.from(shown.base64, 'base64')).toEqual(readFileSync(pdf))
    // Over the size limit: refused before anything is stored.
    const big = join(dir, '全卷扫描.pdf')
    writeFileSync(big, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024)]))
    b.openPath.value = big
    expect(errorOf(await clerk('archives:attach', { entryId: entry }))).toMatchObject({
      code: 'ATTACHMENT_REJECTED',
      details: { reason: 'too_large', limitMb: 20 },
    })
  })

  it('imports a roster all or nothing, with row-level reasons', async () => {
    const { b, clerk } = await setup()
    const dir = tempDir()
    const write = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('名单')
      ws.addRow(['姓名', '身份证号', '单位', '职务', '参加工作日期'])
      rows.forEach((r) => ws.addRow(r))
      const path = join(dir, `roster-${rows.length}.xlsx`)
      await wb.xlsx.writeFile(path)
      return path
    }
    b.openPath.value = await write([
      ['张伟', ID, '县信用办', '科员', '2008-07-01'],
      ['李四', '110105194912310021', '县信用办', '科员', '2010-07-01'],
      ['王五', '110101199003071233', '县统计局', '科员', '2012-07-01'],
    ])
    const bad = expectOk(await clerk('people:import')) as {
      imported: number
      issues: Array<{ row: number; columnName: string; reason: string }>
    }
    expect(bad.imported).toBe(0)
    expect(bad.issues).toEqual([
      { row: 3, column: 'SFZH', columnName: '身份证号', reason: '身份证号校验位不正确' },
      { row: 4, column: 'DW', columnName: '单位', reason: '组织机构中没有名为“县统计局”的单位（须与组织机构中的名称完全一致）' },
    ])
    expect(await b.db('people').count({ n: '*' })).toEqual([{ n: 0 }])
    b.openPath.value = await write([
      ['张伟', ID, '县信用办', '科员', '2008-07-01'],
      ['王五', '110101199003071233', '县财政局', '科员', '2012-07-01'],
    ])
    expect(expectOk(await clerk('people:import'))).toMatchObject({ rows: 2, imported: 2, issues: [] })
  })

  it('imports a year of assessment results by ID number, all or nothing', async () => {
    const { b, clerk, units } = await setup()
    const a = (expectOk(await clerk('people:create', person(units.office, { entryDate: '2020-07-01' }))) as { id: number }).id
    expectOk(await clerk('people:create', person(units.office, { name: '李四', idNumber: '110101199003077774', entryDate: '2026-07-01' })))
    const dir = tempDir()
    const write = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('2025年度考核')
      ws.addRow(['姓名', '身份证号', '考核等次'])
      rows.forEach((r) => ws.addRow(r))
      const path = join(dir, `kh-${rows.length}.xlsx`)
      await wb.xlsx.writeFile(path)
      return path
    }
    const batch = { year: 2025, docNumber: '县人社〔2026〕2号', docDate: '2026-01-30', issuer: '县公务员局' }
    b.openPath.value = await write([
      ['张伟', ID, '优秀'],
      ['李四', '110101199003077774', '称职'],
      ['王五', '110101199003071233', '称职'],
      ['张伟', ID, '良好'],
    ])
    const bad = expectOk(await clerk('archives:import-assessments', batch)) as {
      imported: number
      issues: Array<{ row: number; reason: string }>
    }
    expect(bad.imported).toBe(0)
    // Unknown person and unknown 等次 are found while reading; nothing is written.
    expect(bad.issues.map((i) => `${i.row} ${i.reason}`)).toEqual([
      '4 没有这个身份证号的档案（或不在您的档案管理范围内）',
      '5 考核等次只能是 优秀、称职、基本称职、不称职、不定等次',
    ])
    expect(await b.db('archive_entries').count({ n: '*' })).toEqual([{ n: 0 }])
    // Fixed file: the person who joined in 2026 cannot have a 2025 assessment; nothing goes in.
    b.openPath.value = await write([
      ['张伟', ID, '优秀'],
      ['李四', '110101199003077774', '称职'],
    ])
    const late = expectOk(await clerk('archives:import-assessments', batch)) as {
      imported: number
      issues: Array<{ row: number; reason: string }>
    }
    expect(late).toMatchObject({ imported: 0, issues: [{ row: 3, reason: '此人 2026～2026 年在职，该年度不在其中' }] })
    expect(await b.db('archive_entries').count({ n: '*' })).toEqual([{ n: 0 }])
    b.openPath.value = await write([['张伟', ID, '优秀']])
    expect(expectOk(await clerk('archives:import-assessments', batch))).toMatchObject({ imported: 1, issues: [] })
    expect(await b.db('archive_entries').where({ person_id: a, kind: 'assessment', year: 2025 }).first('result', 'doc_number')).toEqual({
      result: 'excellent',
      doc_number: '县人社〔2026〕2号',
    })
  })
})
