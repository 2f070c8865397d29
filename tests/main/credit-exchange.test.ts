// 名单 across the air gap and from Excel: a `lists` package from the city applied whole or not at all (full and
// incremental, replay refused, bad rows named), a list workbook imported with row-level checks, a workbook of subjects
// checked, and cases and commitments carried in the next data package.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { openPackage, writePackage } from '../../electron/core/exchange/envelope'
import { payloadReader, tablesPayload } from '../../electron/core/exchange/payload'
import { suiteOf } from '../../electron/core/exchange/suites'
import { DROPPED_BY_FULL_LIST } from '../../electron/core/credit/list-package'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession, validIdNumber, validUscc } from '../helpers'

const SM = suiteOf('SM2-SM3-SM4')!
type Call = (
  name: string,
  input?: unknown,
) => Promise<{ ok: boolean; data?: unknown; error?: { code: string; details?: Record<string, unknown> } }>
type Job = {
  id: string
  state: string
  imported: { changes: Record<string, number> } | null
  error: { code: string; details?: Record<string, unknown> } | null
}

async function settle(call: Call, job: Job): Promise<Job> {
  for (let i = 0; i < 300 && job.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 20))
    job = expectOk(await call('exchange:job', { jobId: job.id })) as Job
  }
  return job
}

async function withCity() {
  const b = await freshBackend()
  const admin = (await adminSession(b)) as Call
  const clerk = (await userSession(b, admin, 'clerk1', ['clerk'])) as Call
  const boss = (await userSession(b, admin, 'boss1', ['supervisor'])) as Call
  const city = SM.generate()
  const dir = tempDir()
  writeFileSync(join(dir, 'city.pub.pem'), city.publicPem)
  b.openPath.value = join(dir, 'city.pub.pem')
  expectOk(await admin('exchange:import-peer', { name: '市社会信用信息平台' }))
  b.savePath.value = join(dir, 'county.pub.pem')
  expectOk(await admin('exchange:export-public'))
  const countyPub = readFileSync(join(dir, 'county.pub.pem'), 'utf8')
  const unit = expectOk(await admin('units:create', { name: '县发展和改革局', kind: 'county_dept', parentId: null })) as { id: number }
  let n = 0
  const send = async (sequence: number, tables: Record<string, unknown[]>, recipient = countyPub) => {
    const path = join(dir, `lists-${sequence}-${++n}.cdpkg`)
    await writePackage({
      path,
      suite: SM,
      kind: 'lists',
      sequence,
      createdAt: new Date().toISOString(),
      sender: { orgName: '市社会信用信息平台', regionCode: '350100', uscc: '' },
      senderPrivatePem: city.privatePem,
      recipientPublicPem: recipient,
      payload: tablesPayload('lists', tables as Record<string, Array<Record<string, unknown>>>),
    })
    b.openPath.value = path
    return settle(clerk, (expectOk(await clerk('exchange:import-start')) as { job: Job }).job)
  }
  return { b, admin, clerk, boss, city, countyPub, dir, send, unitId: unit.id }
}

const cityEntry = (i: number, over: Record<string, unknown> = {}) => ({
  externalId: `HB-${i}`,
  subjectName: `某某公司${i}`,
  subjectCode: validUscc(i),
  kind: '严重失信主体名单',
  decidedBy: '市发展和改革委员会',
  basis: `发改信〔2026〕${i}号`,
  listedOn: '2026-06-01',
  validUntil: '2029-05-31',
  ...over,
})

describe('名单 packages from the city', () => {
  it('full and incremental, applied whole; replay and bad rows refused with nothing applied', async () => {
    const { b, clerk, send, city } = await withCity()
    const first = await send(1, { list_meta: [{ mode: 'full' }], list_entries: [1, 2, 3].map((i) => cityEntry(i)) })
    expect(first).toMatchObject({ state: 'done', imported: { changes: { listAdded: 3, listUpdated: 0, listRemoved: 0 } } })
    const rows = await b.db('credit_list_entries').orderBy('id')
    expect(rows.map((r) => [r.list_kind, r.source, r.external_id])).toEqual([
      ['black', 'city', 'HB-1'],
      ['black', 'city', 'HB-2'],
      ['black', 'city', 'HB-3'],
    ])

    // The same sequence again: refused as a replay, nothing changes.
    const replay = await send(1, { list_meta: [{ mode: 'full' }], list_entries: [cityEntry(9)] })
    expect(replay).toMatchObject({ state: 'failed', error: { code: 'PACKAGE_REJECTED', details: { reason: 'replay' } } })

    // Incremental: one corrected (its 依据 changed, found by the city's id), one added, one taken off by the city.
    const second = await send(2, {
      list_meta: [{ mode: 'incremental' }],
      list_entries: [
        cityEntry(1, { basis: '发改信〔2026〕1号（更正）' }),
        cityEntry(4),
        cityEntry(2, { removedOn: '2026-11-01', removedReason: '信用修复' }),
      ],
    })
    expect(second).toMatchObject({ state: 'done', imported: { changes: { listAdded: 1, listUpdated: 2, listRemoved: 0 } } })
    expect(await b.db('credit_list_entries').count({ n: '*' })).toEqual([{ n: 4 }])
    expect(await b.db('credit_list_entries').where('external_id', 'HB-1').first('basis')).toEqual({ basis: '发改信〔2026〕1号（更正）' })
    expect(await b.db('credit_list_entries').where('external_id', 'HB-2').first('removed_on', 'removed_reason')).toEqual({
      removed_on: '2026-11-01',
      removed_reason: '信用修复',
    })

    // A full list without HB-3 and HB-4: both are taken off as of today, not deleted; local entries stay.
    expectOk(
      await clerk('lists:save', {
        name: '本地企业',
        code: validUscc(50),
        kind: 'watch',
        decidedBy: '县局',
        basis: '本地',
        listedOn: '2026-10-01',
      }),
    )
    const full = await send(3, { list_meta: [{ mode: 'full' }], list_entries: [cityEntry(1, { basis: '发改信〔2026〕1号（更正）' })] })
    expect(full).toMatchObject({ state: 'done', imported: { changes: { listUpdated: 1, listRemoved: 2 } } })
    const dropped = await b.db('credit_list_entries').whereIn('external_id', ['HB-3', 'HB-4']).select('removed_on', 'removed_reason')
    expect(dropped).toEqual([
      { removed_on: '2026-11-22', removed_reason: DROPPED_BY_FULL_LIST },
      { removed_on: '2026-11-22', removed_reason: DROPPED_BY_FULL_LIST },
    ])
    expect(await b.db('credit_list_entries').where('source', 'local').first('removed_on')).toEqual({ removed_on: null })

    // A package with a bad code and an unknown kind: refused, naming the entries; nothing of it applied.
    const bad = await send(4, {
      list_meta: [{ mode: 'incremental' }],
      list_entries: [cityEntry(5), cityEntry(6, { subjectCode: wrongCheckChar(validUscc(6)) }), cityEntry(7, { kind: '紫名单' })],
    })
    expect(bad).toMatchObject({
      state: 'failed',
      error: { code: 'PACKAGE_REJECTED', details: { reason: 'bad_lists', rows: '2、3', count: 2 } },
    })
    expect(await b.db('credit_list_entries').where('external_id', 'HB-5').first()).toBeUndefined()
    expect(await b.db('exchange_packages').where({ direction: 'in', kind: 'lists' }).count({ n: '*' })).toEqual([{ n: 3 }])

    // A list for another county (sealed to someone else's key) does not open here.
    const other = SM.generate()
    const foreign = await send(5, { list_meta: [{ mode: 'full' }], list_entries: [] }, other.publicPem)
    expect(foreign).toMatchObject({ state: 'failed', error: { details: { reason: 'wrong_recipient' } } })
    void city
  })

  it('a natural person on the city list is sealed; the package never leaves the ID number in clear at rest', async () => {
    const { b, send } = await withCity()
    const id = validIdNumber(11)
    expect(await send(1, { list_entries: [cityEntry(1, { subjectName: '赵某', subjectCode: id })] })).toMatchObject({ state: 'done' })
    const row = await b.db('credit_list_entries').first()
    expect(row).toMatchObject({ subject_type: 'natural_person', subject_code: null })
    expect(JSON.stringify(row)).not.toContain(id)
  })
})

async function workbook(path: string, rows: unknown[][]) {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('名单')
  for (const r of rows) ws.addRow(r)
  await wb.xlsx.writeFile(path)
  return path
}

/** The code with its check character changed (still a character a USCC may hold). */
const wrongCheckChar = (code: string) => code.slice(0, 17) + (code.endsWith('1') ? '2' : '1')

const HEADER = ['主体名称', '统一社会信用代码或证件号码', '名单类型', '认定单位', '认定依据', '列入日期', '有效期至', '备注']

describe('名单 from Excel', () => {
  it('row-level checks: one bad row stops the file unless only valid rows are asked for; repeats merge', async () => {
    const { b, admin, clerk, dir } = await withCity()
    const path = await workbook(join(dir, 'lists.xlsx'), [
      HEADER,
      ['甲公司', validUscc(1), '严重失信主体名单', '市监局', '市监信〔2026〕1号', '2026-05-01', '2029-04-30', ''],
      ['乙公司', wrongCheckChar(validUscc(2)), '黑名单', '市监局', '市监信〔2026〕2号', '2026-05-01', '', ''],
      ['丙公司', validUscc(3), '紫名单', '市监局', '市监信〔2026〕3号', '2026/5/1', '', ''],
      ['丁公司', validUscc(4), '红名单', '市税务局', '税信〔2026〕1号', '2026年5月1日', '2025-01-01', ''],
      ['甲公司', validUscc(1), '黑名单', '市监局', '市监信〔2026〕1号', '2026-05-01', '2030-04-30', '重复'],
      ['戊公司', validUscc(5), '红名单', '市税务局', '税信〔2026〕2号', '2026-05-02', '', ''],
    ])
    b.openPath.value = path
    const all = expectOk(await clerk('lists:import', {})) as {
      imported: number
      rejected: number
      issues: Array<{ row: number; columnName: string; reason: string }>
    }
    expect(all).toMatchObject({ imported: 0, rejected: 3 })
    expect(all.issues.map((i) => [i.row, i.columnName])).toEqual([
      [3, '统一社会信用代码或证件号码'],
      [4, '名单类型'],
      [5, '有效期至'],
    ])
    expect(all.issues[0]!.reason).toBe('统一社会信用代码校验位不正确')
    expect(await b.db('credit_list_entries').count({ n: '*' })).toEqual([{ n: 0 }])

    // The rejected rows come back as a workbook to correct: original row number, the cells as sent, every reason.
    b.savePath.value = join(dir, 'errors.xlsx')
    expect(expectOk(await clerk('lists:import-errors'))).toMatchObject({ cancelled: false, rows: 3 })
    const errors = new ExcelJS.Workbook()
    await errors.xlsx.readFile(join(dir, 'errors.xlsx'))
    const sheet = errors.worksheets[0]!
    expect(sheet.getRow(1).values).toEqual([undefined, '原行号', ...HEADER, '错误说明'])
    expect([2, 3, 4].map((r) => [sheet.getRow(r).getCell(1).value, sheet.getRow(r).getCell(2).value])).toEqual([
      [3, '乙公司'],
      [4, '丙公司'],
      [5, '丁公司'],
    ])
    expect(String(sheet.getRow(2).getCell(HEADER.length + 2).value)).toBe('统一社会信用代码或证件号码：统一社会信用代码校验位不正确')
    // Only the window and user that imported get it.
    const other = (await userSession(b, admin, 'clerk2', ['clerk'])) as Call
    expect(errorOf(await other('lists:import-errors')).code).toBe('NOT_FOUND')

    const some = expectOk(await clerk('lists:import', { validOnly: true })) as { imported: number; merged: number; rejected: number }
    expect(some).toMatchObject({ imported: 2, merged: 1, rejected: 3 })
    const rows = await b.db('credit_list_entries').orderBy('id').select('subject_name', 'list_kind', 'valid_until', 'source', 'note')
    expect(rows).toEqual([
      { subject_name: '甲公司', list_kind: 'black', valid_until: '2030-04-30', source: 'import', note: '重复' },
      { subject_name: '戊公司', list_kind: 'red', valid_until: null, source: 'import', note: null },
    ])
    const audit = await b.db('audit_log').where('procedure', 'lists:import').orderBy('id', 'desc').first()
    expect(JSON.parse(audit!.affected_ids)).toEqual(['list-import:lists.xlsx', 'imported:2', 'merged:1', 'rejected:3'])
  })

  it('the template reads back as a list file; a file that is not a workbook is refused in words', async () => {
    const { b, clerk, dir } = await withCity()
    b.savePath.value = join(dir, 'template.xlsx')
    expectOk(await clerk('lists:template'))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(join(dir, 'template.xlsx'))
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, ...HEADER.map((h, i) => (i < 6 ? `*${h}` : h))])
    writeFileSync(join(dir, 'not.xlsx'), 'plain text')
    b.openPath.value = join(dir, 'not.xlsx')
    expect(errorOf(await clerk('lists:import', {}))).toMatchObject({ code: 'IMPORT_FILE_REJECTED', details: { reason: 'corrupt' } })
  })
})

describe('checks from a workbook of subjects', () => {
  it('a title line, then names and codes under common headers; rows without either skipped; a bad code reported, not dropped', async () => {
    const { b, clerk, dir } = await withCity()
    expectOk(
      await clerk('lists:save', {
        name: '乙公司',
        code: validUscc(2),
        kind: 'black',
        decidedBy: '市监局',
        basis: 'X',
        listedOn: '2026-01-01',
      }),
    )
    b.openPath.value = await workbook(join(dir, 'suppliers.xlsx'), [
      ['某项目投标人名单'],
      ['序号', '企业名称', '统一社会信用代码'],
      [1, '甲公司', validUscc(1)],
      [2, '乙公司', validUscc(2)],
      [3, '', ''],
      [4, '丙公司', '91350102MA0000003X'],
      [5, '只有名字公司', null],
    ])
    const r = expectOk(await clerk('checks:run-file', { purpose: '招标投标资格审查' })) as {
      check: { fileName: string; results: Array<{ subjectName: string; verdict: string; nameOnly: boolean }> }
    }
    expect(r.check.fileName).toBe('suppliers.xlsx')
    expect(r.check.results.map((x) => [x.subjectName, x.verdict, x.nameOnly])).toEqual([
      ['甲公司', 'clean', false],
      ['乙公司', 'punish', false],
      ['丙公司', 'invalid', false],
      ['只有名字公司', 'clean', true],
    ])
    b.openPath.value = await workbook(join(dir, 'empty.xlsx'), [['企业名称'], ['  ']])
    expect(errorOf(await clerk('checks:run-file', { purpose: 'x' }))).toMatchObject({
      code: 'IMPORT_FILE_REJECTED',
      details: { reason: 'no_subjects' },
    })
    expect(await b.db('credit_checks').count({ n: '*' })).toEqual([{ n: 1 }])
    b.openPath.value = null
    expect(expectOk(await clerk('checks:run-file', { purpose: 'x' }))).toEqual({ cancelled: true, check: null })
  })
})

describe('cases and commitments in the data package', () => {
  it('carried in the credit part, a natural person’s commitment named as personal data, and incremental after a receipt', async () => {
    const { b, clerk, boss, city, countyPub, dir, unitId } = await withCity()
    expectOk(
      await clerk('lists:save', {
        name: '乙公司',
        code: validUscc(2),
        kind: 'black',
        decidedBy: '市监局',
        basis: 'X',
        listedOn: '2026-01-01',
      }),
    )
    const check = (
      expectOk(await clerk('checks:run', { purpose: '采购', subjects: [{ code: validUscc(2) }] })) as {
        check: { results: Array<{ id: number }> }
      }
    ).check
    expectOk(
      await clerk('cases:create', {
        checkResultId: check.results[0]!.id,
        hitIndex: 0,
        applied: true,
        measure: 'p_procurement',
        decidingUnitId: unitId,
        decidedOn: '2026-11-20',
      }),
    )
    const pid = validIdNumber(21)
    const c = expectOk(
      await clerk('commitments:create', {
        name: '钱某',
        code: pid,
        type: 'repair',
        reason: '信用修复承诺',
        committedOn: '2026-11-01',
        unitId,
      }),
    ) as { id: number }
    void boss
    const preview = expectOk(await clerk('exchange:preview', { full: false })) as {
      parts: string[]
      counts: Record<string, number>
      personal: Record<string, number>
    }
    expect(preview.parts).toContain('credit')
    expect(preview.counts).toMatchObject({ sanction_cases: 1, commitments: 1 })
    expect(preview.personal).toMatchObject({ commitments: 1 })

    b.savePath.value = join(dir, 'data-1.cdpkg')
    // Personal data leaves only when the user confirmed it.
    expect(errorOf(await clerk('exchange:export-start', { full: false })).details).toMatchObject({
      reason: 'personal_unconfirmed',
      personal: { commitments: 1 },
    })
    const job = await settle(
      clerk,
      (expectOk(await clerk('exchange:export-start', { full: false, confirmPersonal: true })) as { job: Job }).job,
    )
    expect(job.state).toBe('done')
    const tables: Record<string, Array<Record<string, unknown>>> = {}
    const reader = payloadReader((name, data) => {
      const m = /^tables\/([a-z_]+)\//.exec(name)
      if (m)
        tables[m[1]!] = [
          ...(tables[m[1]!] ?? []),
          ...data
            .toString('utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l)),
        ]
    })
    await openPackage(
      join(dir, 'data-1.cdpkg'),
      {
        ownKeys: new Map([[SM.fingerprint(city.publicPem), city.privatePem]]),
        senders: new Map([[SM.fingerprint(countyPub), { publicPem: countyPub, retired: false }]]),
      },
      (p) => reader.write(p),
    )
    await reader.end()
    expect(tables.sanction_cases).toEqual([
      expect.objectContaining({
        subjectName: '乙公司',
        subjectCode: validUscc(2),
        applied: true,
        measure: 'p_procurement',
        measureName: '限制参与政府采购',
        decidingUnit: '县发展和改革局',
      }),
    ])
    expect(tables.commitments).toEqual([
      expect.objectContaining({ subjectName: '钱某', idNumber: pid, type: 'repair', typeName: '信用修复型', status: 'keeping' }),
    ])
    void c
  })
})
