// Records through the real router: entry, list filters, detail lineage, export, import jobs,
// 信用修复/异议, the holiday table, and who may do each.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { ImportJob, RecordDetail, RecordSummary } from '../../electron/contract/schemas/records'
import { DB_FILE } from '../../electron/core/shared/open-database'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession, PENALTY } from '../helpers'

// The clock of freshBackend stands at 2026-11-22 10:00 Beijing time (a Sunday).

async function setup() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
  const supervisor = await userSession(b, admin, 'super1', ['supervisor'])
  const auditor = await userSession(b, admin, 'audit1', ['auditor'])
  return { b, admin, clerk, supervisor, auditor }
}

async function workbook(rows: Array<Record<string, string | number | null>>, dir: string, name = 'in.xlsx'): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('处罚')
  const cols = Object.keys(PENALTY)
  ws.addRow(cols)
  for (const r of rows) ws.addRow(cols.map((c) => r[c] ?? null))
  const path = join(dir, name)
  await wb.xlsx.writeFile(path)
  return path
}

async function untilSettled(call: (n: string, i?: unknown) => Promise<{ ok: boolean }>, jobId: string): Promise<ImportJob> {
  for (;;) {
    const job = expectOk(await call('records:import-job', { jobId })) as ImportJob
    if (job.state !== 'running') return job
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('records through the router', () => {
  it('a clerk enters a record from the generated form; checks speak per field; the list finds it by name, code and document', async () => {
    const { b, clerk } = await setup()
    const bad = errorOf(
      await clerk('records:create', { itemCode: 'SGS_CF', values: { ...PENALTY, XDR_SHXYM: '91350100M000100Y44', CF_JDRQ: '2026-12-01' } }),
    )
    expect(bad.code).toBe('VALIDATION')
    expect(bad.details!.fields).toEqual(
      expect.arrayContaining([
        { path: 'values.XDR_SHXYM', message: 'uscc.checkChar' },
        { path: 'values.CF_JDRQ', message: 'date.future' },
      ]),
    )
    expect(await b.db('records').count({ n: '*' })).toEqual([{ n: 0 }])

    // Decided Wed 18 Nov; the 7th working day after it is Fri 27 Nov: reported on Sunday 22nd, on time.
    const made = expectOk(await clerk('records:create', { itemCode: 'SGS_CF', values: PENALTY })) as {
      id: number
      isLate: boolean
      deadlineDate: string
    }
    expect(made).toMatchObject({ isLate: false, deadlineDate: '2026-11-27' })
    const dup = errorOf(await clerk('records:create', { itemCode: 'SGS_CF', values: PENALTY }))
    expect(dup.details!.fields).toEqual([{ path: 'values.CF_WSH', message: 'record.duplicateInDb' }])
    // A decision from September is late.
    const late = expectOk(
      await clerk('records:create', {
        itemCode: 'SGS_CF',
        values: { ...PENALTY, CF_WSH: '罚〔2026〕2号', XDR_MC: '另一家商行', CF_JDRQ: '2026-09-01', CF_YXQ: '2027-09-01' },
      }),
    ) as { isLate: boolean }
    expect(late.isLate).toBe(true)

    const list = async (q: object) =>
      expectOk(await clerk('records:list', { itemCode: 'SGS_CF', ...q })) as { items: RecordSummary[]; total: number }
    expect((await list({})).total).toBe(2)
    expect((await list({ keyword: '某某' })).items.map((r) => r.docNumber)).toEqual(['罚〔2026〕1号'])
    expect((await list({ keyword: '91350100M000100Y43' })).total).toBe(2)
    expect((await list({ keyword: '罚〔2026〕2号' })).items[0]!.subjectName).toBe('另一家商行')
    expect((await list({ late: true })).items.map((r) => r.docNumber)).toEqual(['罚〔2026〕2号'])
    expect((await list({ dateFrom: '2026-11-01' })).total).toBe(1)
    const first = (await list({ sort: 'decisionDate', order: 'asc' })).items[0]!
    expect(first).toMatchObject({
      docNumber: '罚〔2026〕2号',
      subjectType: '法人和非法人组织',
      disclosure: '公示中',
      repairableFrom: '2026-12-01',
      disclosureEndsOn: '2027-09-01',
    })

    const detail = expectOk(await clerk('records:get', { id: made.id })) as RecordDetail
    expect(detail).toMatchObject({ createdByName: 'clerk1', batchId: null, itemVersion: 1 })
    expect(detail.values.CF_NR_FK).toBe(5)
  })

  it('stores a natural person’s ID number sealed, shows it masked, and finds the record by the full number', async () => {
    const { b, clerk } = await setup()
    const person = {
      ...PENALTY,
      XDR_MC: '张三',
      XDR_LB: 'natural_person',
      XDR_SHXYM: null,
      ZJHM: '11010519491231002X',
      CF_WSH: '罚〔2026〕9号',
    }
    const { id } = expectOk(await clerk('records:create', { itemCode: 'SGS_CF', values: person })) as { id: number }
    const found = expectOk(await clerk('records:list', { keyword: '11010519491231002X' })) as { items: RecordSummary[] }
    expect(found.items.map((r) => r.id)).toEqual([id])
    expect(found.items[0]!.subjectCode).toBe('110105********002X')
    await b.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(b.dataDir, DB_FILE)).includes(Buffer.from('11010519491231002X'))).toBe(false)
  })

  it('a foreign person’s passport number is accepted under 护照, sealed at rest, masked, and found by the full number', async () => {
    const { b, clerk } = await setup()
    const person = {
      ...PENALTY,
      XDR_MC: 'John Smith',
      XDR_LB: '自然人',
      XDR_SHXYM: null,
      ZJLX: '护照',
      ZJHM: 'E12345678',
      CF_WSH: '罚〔2026〕8号',
    }
    const { id } = expectOk(await clerk('records:create', { itemCode: 'SGS_CF', values: person })) as { id: number }
    const found = expectOk(await clerk('records:list', { keyword: 'e12345678' })) as { items: RecordSummary[] }
    expect(found.items.map((r) => r.id)).toEqual([id])
    const row = await b.db('records').where('id', id).first('data')
    expect(JSON.parse(row!.data)).toMatchObject({ ZJLX: 'passport', ZJHM: '*********' })
    await b.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(b.dataDir, DB_FILE)).includes(Buffer.from('E12345678'))).toBe(false)
    // The same number under 居民身份证 is refused with the ID-card reason.
    const bad = errorOf(
      await clerk('records:create', { itemCode: 'SGS_CF', values: { ...person, ZJLX: '居民身份证', CF_WSH: '罚〔2026〕7号' } }),
    )
    expect(bad.details!.fields).toEqual([{ path: 'values.ZJHM', message: 'code.length' }])
  })

  it('each 行政处罚 record carries its own 失信等级: its disclosure period follows it, and the item’s level when left empty', async () => {
    const { b, clerk } = await setup()
    const made = async (n: number, level: string | null) => {
      const values = { ...PENALTY, CF_WSH: `罚〔2026〕${n}号`, SXDJ: level }
      return (expectOk(await clerk('records:create', { itemCode: 'SGS_CF', values })) as { id: number }).id
    }
    const rows = async (id: number) => b.db('records').where('id', id).first('dishonesty_level', 'repairable_from', 'disclosure_ends_on')
    // Decided 2026-11-18 under the 2026 regime: 轻微 0–3 months, 一般 3–12, 严重 12–36.
    expect(await rows(await made(21, '严重'))).toEqual({
      dishonesty_level: 'serious',
      repairable_from: '2027-11-18',
      disclosure_ends_on: '2029-11-18',
    })
    expect(await rows(await made(22, '轻微'))).toEqual({
      dishonesty_level: 'minor',
      repairable_from: '2026-11-18',
      disclosure_ends_on: '2027-02-18',
    })
    expect(await rows(await made(23, null))).toEqual({
      dishonesty_level: 'general',
      repairable_from: '2027-02-18',
      disclosure_ends_on: '2027-11-18',
    })
  })

  it('imports a department file written in the national wording (法人及非法人组织, 护照号) without a single error', async () => {
    const { b, clerk } = await setup()
    const dir = tempDir()
    const rows = [
      { ...PENALTY, XDR_LB: '法人及非法人组织', CF_WSH: '罚〔2026〕301号' },
      { ...PENALTY, XDR_MC: 'Jane Roe', XDR_LB: '自然人', XDR_SHXYM: null, ZJLX: '护照号', ZJHM: 'EA7654321', CF_WSH: '罚〔2026〕302号' },
    ]
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('处罚')
    const cols = [...Object.keys(PENALTY), 'ZJLX', 'ZJHM']
    ws.addRow(cols)
    for (const r of rows) ws.addRow(cols.map((c) => (r as Record<string, unknown>)[c] ?? null))
    b.openPath.value = join(dir, 'dept.xlsx')
    await wb.xlsx.writeFile(b.openPath.value)
    const opened = expectOk(await clerk('records:import-open', { itemCode: 'SGS_CF' })) as { job: ImportJob }
    const previewed = await untilSettled(clerk, opened.job.id)
    expect(previewed.preview).toMatchObject({ rows: 2, validRows: 2, invalidRows: 0 })
    expectOk(await clerk('records:import-commit', { jobId: opened.job.id, mode: 'all' }))
    const done = await untilSettled(clerk, opened.job.id)
    expect(done.state).toBe('done')
    expect(await b.db('records').orderBy('id').pluck('subject_type')).toEqual(['legal', 'natural_person'])
  })

  it('imports a previewed file as a background job; all-or-nothing by default, valid rows on request', async () => {
    const { b, clerk, auditor } = await setup()
    const dir = tempDir()
    const rows = Array.from({ length: 30 }, (_, i) => ({ ...PENALTY, XDR_LB: '法人和非法人组织', CF_WSH: `罚〔2026〕${100 + i}号` }))
    rows[4] = { ...rows[4]!, CF_CFJGDM: '91440300708461136X' }
    b.openPath.value = await workbook(rows, dir)

    const opened = expectOk(await clerk('records:import-open', { itemCode: 'SGS_CF' })) as { job: ImportJob }
    const previewed = await untilSettled(clerk, opened.job.id)
    expect(previewed).toMatchObject({ phase: 'preview', state: 'done', fileName: 'in.xlsx', totalRows: 30 })
    expect(previewed.preview).toMatchObject({ rows: 30, validRows: 29, invalidRows: 1 })
    expect(previewed.preview!.issues[0]).toMatchObject({
      row: 6,
      columnName: '处罚机关统一社会信用代码',
      reason: '统一社会信用代码校验位不正确',
    })

    // All-or-nothing refuses a file with errors before starting.
    expect(errorOf(await clerk('records:import-commit', { jobId: opened.job.id, mode: 'all' }))).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'has_errors' },
    })
    // The error workbook: the department's rows plus a reason column.
    b.savePath.value = join(dir, 'errors.xlsx')
    expect(expectOk(await clerk('records:import-errors', { jobId: opened.job.id }))).toMatchObject({ cancelled: false, rows: 1 })
    const errBook = new ExcelJS.Workbook()
    await errBook.xlsx.readFile(join(dir, 'errors.xlsx'))
    const errRow = errBook.worksheets[0]!.getRow(2).values as unknown[]
    expect(errRow[1]).toBe(6)
    expect(String(errRow.at(-1))).toContain('处罚机关统一社会信用代码：统一社会信用代码校验位不正确')

    // Another user cannot see or drive this job.
    expect(errorOf(await auditor('records:import-job', { jobId: opened.job.id })).code).toBe('FORBIDDEN')

    const started = expectOk(await clerk('records:import-commit', { jobId: opened.job.id, mode: 'valid_only' })) as ImportJob
    expect(started).toMatchObject({ phase: 'import', state: 'running' })
    const done = await untilSettled(clerk, opened.job.id)
    expect(done).toMatchObject({ state: 'done', imported: 29 })
    const list = expectOk(await clerk('records:list', { batchId: done.batchId })) as { total: number; items: RecordSummary[] }
    expect(list.total).toBe(29)
    const detail = expectOk(await clerk('records:get', { id: list.items[0]!.id })) as RecordDetail
    expect(detail).toMatchObject({ batchFileName: 'in.xlsx', createdByName: 'clerk1' })

    // The auditor sees who imported what, with the batch.
    const log = expectOk(await auditor('audit:list', { procedure: 'job:records-import' })) as {
      items: Array<{ actorName: string; affectedIds: string[]; result: string }>
    }
    expect(log.items[0]).toMatchObject({ actorName: 'clerk1', result: 'ok' })
    expect(log.items[0]!.affectedIds).toContain(`batch:${done.batchId}`)
  })

  it('a cancelled import leaves nothing behind; the same document already stored rejects an all-or-nothing import', async () => {
    const { b, clerk } = await setup()
    const dir = tempDir()
    expectOk(await clerk('records:create', { itemCode: 'SGS_CF', values: { ...PENALTY, CF_WSH: '罚〔2026〕5000号' } }))
    const rows = Array.from({ length: 6000 }, (_, i) => ({ ...PENALTY, CF_WSH: `罚〔2026〕${i + 1}号` }))
    b.openPath.value = await workbook(rows, dir)
    const { job } = expectOk(await clerk('records:import-open', { itemCode: 'SGS_CF' })) as { job: ImportJob }
    expect((await untilSettled(clerk, job.id)).preview!.invalidRows).toBe(0)

    expectOk(await clerk('records:import-commit', { jobId: job.id, mode: 'all' }))
    for (let j = expectOk(await clerk('records:import-job', { jobId: job.id })) as ImportJob; j.rowsRead < 1000 && j.state === 'running';) {
      await new Promise((r) => setTimeout(r, 5))
      j = expectOk(await clerk('records:import-job', { jobId: job.id })) as ImportJob
    }
    expectOk(await clerk('records:import-cancel', { jobId: job.id }))
    expect(await untilSettled(clerk, job.id)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } })
    expect(Number((await b.db('records').count({ n: '*' }))[0]!.n)).toBe(1)
    expect(Number((await b.db('import_batches').count({ n: '*' }))[0]!.n)).toBe(0)

    // Preview again and import for real: row 5001 (罚〔2026〕5000号) is already stored, so nothing goes in.
    const again = (expectOk(await clerk('records:import-open', { itemCode: 'SGS_CF' })) as { job: ImportJob }).job
    await untilSettled(clerk, again.id)
    expectOk(await clerk('records:import-commit', { jobId: again.id, mode: 'all' }))
    const failed = await untilSettled(clerk, again.id)
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'IMPORT_HAS_ERRORS' } })
    expect(failed.preview!.issues[0]).toMatchObject({ row: 5001, reason: '系统中已有同一主体的同一文书号（重复数据）' })
    expect(Number((await b.db('records').count({ n: '*' }))[0]!.n)).toBe(1)
  })

  it('refuses a file changed after its preview, and a file that is not a workbook, in Chinese terms', async () => {
    const { b, clerk } = await setup()
    const dir = tempDir()
    b.openPath.value = await workbook([PENALTY], dir)
    const { job } = expectOk(await clerk('records:import-open', { itemCode: 'SGS_CF' })) as { job: ImportJob }
    await untilSettled(clerk, job.id)
    await workbook([PENALTY, { ...PENALTY, CF_WSH: 'x' }], dir)
    expect(errorOf(await clerk('records:import-commit', { jobId: job.id, mode: 'all' })).details).toMatchObject({ reason: 'file_changed' })

    const notXlsx = join(dir, 'notes.xlsx')
    writeFileSync(notXlsx, 'not a workbook')
    b.openPath.value = notXlsx
    const bad = (expectOk(await clerk('records:import-open', { itemCode: 'SGS_CF' })) as { job: ImportJob }).job
    expect(await untilSettled(clerk, bad.id)).toMatchObject({
      state: 'failed',
      error: { code: 'IMPORT_FILE_REJECTED', details: { reason: 'corrupt' } },
    })
  })

  it('exports the current query with labels, masked IDs and lineage; the export is audited', async () => {
    const { b, clerk, auditor } = await setup()
    expectOk(await clerk('records:create', { itemCode: 'SGS_CF', values: PENALTY }))
    expectOk(
      await clerk('records:create', {
        itemCode: 'SGS_CF',
        values: {
          ...PENALTY,
          XDR_MC: '张三',
          XDR_LB: 'natural_person',
          XDR_SHXYM: null,
          ZJHM: '11010519491231002X',
          CF_WSH: '罚〔2026〕9号',
          CF_JDRQ: '2026-09-01',
          CF_YXQ: '2027-09-01',
        },
      }),
    )
    const out = join(tempDir(), 'export.xlsx')
    b.savePath.value = out
    expect(expectOk(await clerk('records:export', { itemCode: 'SGS_CF', late: true }))).toMatchObject({ cancelled: false, rows: 1 })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(out)
    const ws = wb.worksheets[0]!
    const header = ws.getRow(1).values as unknown[]
    const row = ws.getRow(2).values as unknown[]
    expect(ws.rowCount).toBe(2)
    expect(row[header.indexOf('行政相对人名称')]).toBe('张三')
    expect(row[header.indexOf('行政相对人类别')]).toBe('自然人')
    expect(row[header.indexOf('证件号码')]).toBe('110105********002X')
    expect(row[header.indexOf('是否逾期')]).toBe('逾期')
    expect(readFileSync(out).includes(Buffer.from('11010519491231002X'))).toBe(false)
    const log = expectOk(await auditor('audit:list', { procedure: 'records:export' })) as { items: Array<{ affectedIds: string[] }> }
    expect(log.items[0]!.affectedIds).toContain('rows:1')
  })

  it('信用修复 waits for the minimum period, is decided by another person, and turns the record 已修复', async () => {
    const { b, clerk, supervisor } = await setup()
    // Decided 2026-05-06 under the 2026 rules (一般: 3–12 months): repairable from 2026-08-06.
    const early = expectOk(
      await clerk('records:create', {
        itemCode: 'SGS_CF',
        values: { ...PENALTY, CF_WSH: '罚〔2026〕31号', CF_JDRQ: '2026-11-02', CF_YXQ: '2027-11-02' },
      }),
    ) as { id: number }
    const application = {
      kind: 'repair',
      applicant: '某某食品有限公司',
      reason: '已履行行政处罚决定并完成整改',
      documents: '缴款凭证；整改报告；信用承诺书',
    }
    expect(errorOf(await clerk('records:file-action', { recordId: early.id, ...application })).details).toMatchObject({
      reason: 'too_early',
      repairableFrom: '2027-02-02',
    })

    const { id } = expectOk(
      await clerk('records:create', {
        itemCode: 'SGS_CF',
        values: { ...PENALTY, CF_WSH: '罚〔2026〕30号', CF_JDRQ: '2026-05-06', CF_YXQ: '2027-05-06' },
      }),
    ) as { id: number }
    const actionId = (expectOk(await clerk('records:file-action', { recordId: id, ...application })) as { id: number }).id
    expect(errorOf(await clerk('records:file-action', { recordId: id, ...application })).details).toMatchObject({ reason: 'pending' })
    expect(errorOf(await clerk('records:decide-action', { id: actionId, decision: 'approved', comment: '同意' })).code).toBe('FORBIDDEN')
    expectOk(await supervisor('records:decide-action', { id: actionId, decision: 'approved', comment: '材料齐全，同意修复' }))
    const detail = expectOk(await clerk('records:get', { id })) as RecordDetail
    expect(detail).toMatchObject({ disclosure: '已修复', repairedOn: '2026-11-22' })
    expect(detail.actions[0]).toMatchObject({
      kind: 'repair',
      status: 'approved',
      filedByName: 'clerk1',
      decidedByName: 'super1',
      decisionComment: '材料齐全，同意修复',
    })
    const repaired = expectOk(await clerk('records:list', { disclosure: 'repaired' })) as { total: number }
    expect(repaired.total).toBe(1)
    void b
  })

  it('the holiday table changes lateness for new records; only an administrator edits it', async () => {
    const { admin, clerk } = await setup()
    const year = expectOk(await clerk('calendar:year', { year: 2026 })) as {
      packaged: boolean
      packagedDays: Array<{ date: string; name: string }>
    }
    expect(year.packaged).toBe(true)
    expect(year.packagedDays.find((d) => d.date === '2026-10-01')?.name).toBe('国庆节')
    expect(errorOf(await clerk('calendar:save-day', { date: '2026-11-19', kind: 'holiday', name: '地方假日' })).code).toBe('FORBIDDEN')
    // Two extra days off push the deadline of a 13 Nov decision from 24 Nov to 26 Nov: on time.
    const values = { ...PENALTY, CF_JDRQ: '2026-11-13', CF_YXQ: '2027-11-13' }
    expectOk(await admin('calendar:save-day', { date: '2026-11-16', kind: 'holiday', name: '地方假日' }))
    expectOk(await admin('calendar:save-day', { date: '2026-11-17', kind: 'holiday', name: '地方假日' }))
    const made = expectOk(await clerk('records:create', { itemCode: 'SGS_CF', values })) as { deadlineDate: string }
    expect(made.deadlineDate).toBe('2026-11-26')
    expect((expectOk(await clerk('calendar:year', { year: 2026 })) as { overrides: unknown[] }).overrides).toHaveLength(2)
    expectOk(await admin('calendar:delete-day', { date: '2026-11-17' }))
    expect(errorOf(await admin('calendar:delete-day', { date: '2026-11-17' })).code).toBe('NOT_FOUND')
  })
})

describe('the entry form starts from the last record', () => {
  it("fills the 机关 section with what this clerk last entered for the item, and nothing else or anyone else's", async () => {
    const { b, admin, clerk } = await setup()
    const colleague = await userSession(b, admin, 'clerk2', ['clerk'])
    expect(expectOk(await clerk('records:entry-defaults', { itemCode: 'SGS_CF' }))).toEqual({ values: {} })
    expectOk(
      await clerk('records:create', {
        itemCode: 'SGS_CF',
        supplierUnitId: null,
        values: { ...PENALTY, CF_CFJG: '某县卫生健康局', CF_SJLY: '某县卫生健康局' },
      }),
    )
    expect(expectOk(await clerk('records:entry-defaults', { itemCode: 'SGS_CF' }))).toEqual({
      values: { CF_CFJG: '某县卫生健康局', CF_CFJGDM: PENALTY.CF_CFJGDM, CF_SJLY: '某县卫生健康局', CF_SJLYDM: PENALTY.CF_SJLYDM },
    })
    // Another item, another clerk: nothing carried over.
    expect(expectOk(await clerk('records:entry-defaults', { itemCode: 'SGS_XK' }))).toEqual({ values: {} })
    expect(expectOk(await colleague('records:entry-defaults', { itemCode: 'SGS_CF' }))).toEqual({ values: {} })
  })
})
