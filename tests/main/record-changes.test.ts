// 更正 and 撤回 of stored records, who may change which unit's records, and the city's per-record answers: through the
// real router for the office's side and the command line for the city's (key files, package files, receipts).
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import type { RecordDetail, RecordSummary } from '../../electron/contract/schemas/records'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession, validIdNumber, PENALTY } from '../helpers'

async function setup() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const unit = async (name: string) => expectOk(await admin('units:create', { parentId: null, name, kind: 'county_dept' }))
  const market = (await unit('县市场监管局')) as { id: number }
  const tax = (await unit('县税务局')) as { id: number }
  const office = await userSession(b, admin, 'office', ['clerk'])
  const marketClerk = await userSession(b, admin, 'mclerk', ['clerk'])
  const taxClerk = await userSession(b, admin, 'tclerk', ['clerk'])
  await b.db('users').where('username', 'mclerk').update({ unit_id: market.id })
  await b.db('users').where('username', 'tclerk').update({ unit_id: tax.id })
  const supervisor = await userSession(b, admin, 'super1', ['supervisor', 'clerk'])
  const create = async (call: typeof office, n: number, extra: Record<string, unknown> = {}) =>
    (
      expectOk(await call('records:create', { itemCode: 'SGS_CF', values: { ...PENALTY, CF_WSH: `罚〔2026〕${n}号`, ...extra } })) as {
        id: number
      }
    ).id
  const detail = async (id: number) => expectOk(await office('records:get', { id })) as RecordDetail
  return { b, admin, market, tax, office, marketClerk, taxClerk, supervisor, create, detail }
}

describe('更正 and 撤回', () => {
  it('a correction is re-checked, decided by another person, makes version 2 and keeps version 1 in the history', async () => {
    const { b, admin, marketClerk, supervisor, create, detail } = await setup()
    const id = await create(marketClerk, 1)
    const wrong = errorOf(
      await marketClerk('records:propose-correction', { recordId: id, values: { ...PENALTY, CF_JDRQ: '2030-01-01' }, reason: '日期' }),
    )
    expect(wrong.details!.fields).toEqual(expect.arrayContaining([{ path: 'values.CF_JDRQ', message: 'date.future' }]))
    const corrected = { ...PENALTY, CF_WSH: '罚〔2026〕1号', CF_NR_FK: '3', CF_NR: '罚款三万元' }
    const change = expectOk(
      await marketClerk('records:propose-correction', { recordId: id, values: corrected, reason: '罚款金额录错' }),
    ) as {
      id: number
    }
    // Nothing changes before the decision; a second request waits for the first.
    expect((await detail(id)).values.CF_NR_FK).toBe(5)
    expect(errorOf(await marketClerk('records:propose-withdrawal', { recordId: id, reason: 'x', document: 'y' })).details).toMatchObject({
      reason: 'change_pending',
    })
    // Four eyes: the filer may not decide, even holding the supervisor role; another supervisor approves.
    const both = await userSession(b, admin, 'both', ['clerk', 'supervisor'])
    const own = expectOk(
      await both('records:propose-correction', {
        recordId: await create(both, 2),
        values: { ...PENALTY, CF_WSH: '罚〔2026〕2号' },
        reason: 'x',
      }),
    ) as {
      id: number
    }
    expect(errorOf(await both('records:decide-change', { id: own.id, decision: 'approved', comment: null })).code).toBe('SELF_REVIEW')
    expect(errorOf(await marketClerk('records:decide-change', { id: change.id, decision: 'approved', comment: null })).code).toBe(
      'FORBIDDEN',
    )
    expect(expectOk(await supervisor('records:decide-change', { id: change.id, decision: 'approved', comment: '同意' }))).toEqual({
      recordId: id,
      version: 2,
    })
    const after = await detail(id)
    expect(after).toMatchObject({ version: 2, values: { CF_NR_FK: 3, CF_NR: '罚款三万元' } })
    expect(after.changes).toEqual([
      expect.objectContaining({
        kind: 'correction',
        status: 'approved',
        version: 2,
        reason: '罚款金额录错',
        previousValues: expect.objectContaining({ CF_NR_FK: 5 }),
      }),
    ])
    expect(
      errorOf(await supervisor('records:decide-change', { id: change.id, decision: 'rejected', comment: null })).details,
    ).toMatchObject({
      reason: 'decided',
    })
  })

  it('a masked ID number sent back unchanged keeps the sealed number; a new one replaces it', async () => {
    const { b, office, supervisor, create, detail } = await setup()
    const person = { XDR_MC: '张三', XDR_LB: 'natural_person', XDR_SHXYM: null, ZJLX: 'id_card', ZJHM: validIdNumber(7) }
    const id = await create(office, 3, person)
    const shown = (await detail(id)).values
    const keep = expectOk(
      await office('records:propose-correction', {
        recordId: id,
        values: { ...PENALTY, ...person, CF_WSH: '罚〔2026〕3号', ZJHM: shown.ZJHM, XDR_MC: '张叁' },
        reason: '姓名',
      }),
    ) as { id: number }
    expectOk(await supervisor('records:decide-change', { id: keep.id, decision: 'approved', comment: null }))
    const found = expectOk(await office('records:list', { keyword: validIdNumber(7) })) as { items: RecordSummary[] }
    expect(found.items.map((r) => [r.id, r.subjectName])).toEqual([[id, '张叁']])
    const swap = expectOk(
      await office('records:propose-correction', {
        recordId: id,
        values: { ...PENALTY, ...person, CF_WSH: '罚〔2026〕3号', ZJHM: validIdNumber(8) },
        reason: '证件号',
      }),
    ) as { id: number }
    expectOk(await supervisor('records:decide-change', { id: swap.id, decision: 'approved', comment: null }))
    expect(((await office('records:list', { keyword: validIdNumber(7) })) as { data: { items: unknown[] } }).data.items).toEqual([])
    expect(await b.db('records').where('id', id).first('version')).toEqual({ version: 3 })
  })

  it('a withdrawal needs the revoking document, takes the record out of disclosure, and ends further changes', async () => {
    const { office, supervisor, create, detail } = await setup()
    const id = await create(office, 4)
    expect(errorOf(await office('records:propose-withdrawal', { recordId: id, reason: '复议撤销', document: '' })).details!.fields).toEqual(
      [{ path: 'document', message: 'required' }],
    )
    const w = expectOk(
      await office('records:propose-withdrawal', { recordId: id, reason: '行政复议决定撤销原处罚', document: '县政府复决〔2026〕3号' }),
    ) as {
      id: number
    }
    expectOk(await supervisor('records:decide-change', { id: w.id, decision: 'approved', comment: null }))
    expect(await detail(id)).toMatchObject({
      withdrawnOn: '2026-11-22',
      withdrawalDoc: '县政府复决〔2026〕3号',
      disclosure: '已撤销',
      version: 2,
    })
    expect(errorOf(await office('records:propose-correction', { recordId: id, values: PENALTY, reason: 'x' })).details).toMatchObject({
      reason: 'withdrawn',
    })
  })

  it('a rejected request changes nothing', async () => {
    const { office, supervisor, create, detail } = await setup()
    const id = await create(office, 5)
    const w = expectOk(await office('records:propose-withdrawal', { recordId: id, reason: '误报', document: '无' })) as { id: number }
    expectOk(await supervisor('records:decide-change', { id: w.id, decision: 'rejected', comment: '依据不足' }))
    expect(await detail(id)).toMatchObject({
      withdrawnOn: null,
      version: 1,
      changes: [expect.objectContaining({ status: 'rejected', comment: '依据不足' })],
    })
  })
})

describe('who may enter and change which records', () => {
  it('a unit’s clerk enters and changes only that unit’s records; the county office (no unit) all of them', async () => {
    const { b, market, tax, office, marketClerk, taxClerk, create } = await setup()
    // Entered without a unit, a department clerk's record is the department's.
    const mine = await create(marketClerk, 10)
    expect(await b.db('records').where('id', mine).first('supplier_unit_id')).toEqual({ supplier_unit_id: market.id })
    const other = errorOf(
      await taxClerk('records:create', { itemCode: 'SGS_CF', supplierUnitId: market.id, values: { ...PENALTY, CF_WSH: '罚〔2026〕11号' } }),
    )
    expect(other.details!.fields).toEqual([{ path: 'supplierUnitId', message: 'record.otherUnit' }])
    expect(errorOf(await taxClerk('records:propose-correction', { recordId: mine, values: PENALTY, reason: 'x' })).code).toBe('NOT_FOUND')
    expect(errorOf(await taxClerk('records:propose-withdrawal', { recordId: mine, reason: 'x', document: 'y' })).code).toBe('NOT_FOUND')
    // The office enters for any unit and corrects any record.
    const forTax = expectOk(
      await office('records:create', { itemCode: 'SGS_CF', supplierUnitId: tax.id, values: { ...PENALTY, CF_WSH: '罚〔2026〕12号' } }),
    ) as {
      id: number
    }
    expect(await b.db('records').where('id', forTax.id).first('supplier_unit_id')).toEqual({ supplier_unit_id: tax.id })
    expectOk(await office('records:propose-withdrawal', { recordId: mine, reason: '误报', document: '无' }))
  })
})

async function cli(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err, json: () => JSON.parse(out.at(-1)!) as Record<string, unknown> }
}

describe('the city’s per-record answers', () => {
  it('a receipt rejects two records: they wait in 问题数据 with the reason; corrected, they go out again; unknown records refuse the receipt', async () => {
    const { b, office, supervisor, create } = await setup()
    const ids = [await create(office, 21), await create(office, 22), await create(office, 23)]
    const keys = tempDir()
    const work = tempDir()
    await cli('keys', 'generate', '--out', keys, '--name', 'city')
    expect((await cli('keys', 'import-peer', join(keys, 'city.pub.pem'), '--name', '市平台', '--data-dir', b.dataDir)).code).toBe(0)
    const countyPub = join(work, 'county.pub.pem')
    await cli('keys', 'export-public', '--out', countyPub, '--data-dir', b.dataDir)
    const p1 = join(work, 'p1.cdpkg')
    expect((await cli('package', 'export', '--to', p1, '--data-dir', b.dataDir)).json()).toMatchObject({ counts: { records: 3 } })
    const uids = await b.db('records').whereIn('id', ids).orderBy('id').pluck('uid')
    const city = ['--key', join(keys, 'city.key.pem'), '--sender', countyPub]

    // A list naming a record the package did not carry is refused on the city side.
    const { writeFileSync } = await import('node:fs')
    const bogus = join(work, 'bogus.json')
    writeFileSync(bogus, JSON.stringify([{ recordUid: 'no-such-record', code: 'E01', reason: '无此记录' }]))
    const refused = await cli('package', 'receipt', p1, ...city, '--to', join(work, 'r0.cdpkg'), '--reject', bogus)
    expect(refused.code).toBe(2)
    expect(refused.err[0]).toContain('不在这个数据包里')

    const list = join(work, 'reject.json')
    writeFileSync(
      list,
      JSON.stringify([
        { recordUid: uids[0], code: 'E101', reason: '处罚依据与违法行为类型不匹配' },
        { recordUid: uids[1], code: 'E102', reason: '罚款金额超出法定上限' },
      ]),
    )
    const receipt = join(work, 'r1.cdpkg')
    expect((await cli('package', 'receipt', p1, ...city, '--to', receipt, '--reject', list)).out[0]).toContain('退回 2 条记录')
    expect((await cli('package', 'import', receipt, '--data-dir', b.dataDir)).json()).toMatchObject({
      changes: { packagesAcknowledged: 1, recordsAcknowledged: 1, recordsRejected: 2 },
    })
    expect(expectOk(await office('home:todo'))).toMatchObject({ recordsRejected: 2 })
    expect((expectOk(await office('records:stats', {})) as { rejected: number }).rejected).toBe(2)
    const queue = expectOk(await office('records:list', { rejected: true })) as { items: RecordSummary[]; total: number }
    expect(queue.items.map((r) => r.id).sort()).toEqual([ids[0], ids[1]])
    const first = expectOk(await office('records:get', { id: ids[0]! })) as RecordDetail
    expect(first.rejection).toMatchObject({ code: 'E101', reason: '处罚依据与违法行为类型不匹配' })
    expect(first.reported).toBeNull()

    // Nothing new and nothing corrected yet: the next package carries nothing.
    expect((await cli('package', 'export', '--to', join(work, 'p2.cdpkg'), '--data-dir', b.dataDir)).json()).toMatchObject({
      counts: { records: 0, record_changes: 0 },
    })
    // The clerk corrects both; approved, they leave 问题数据 and travel again with their version. (The command line
    // above ran on the real clock: the office's clock moves past it, as one machine's would.)
    b.clock.set(Date.now())
    for (const who of [office, supervisor]) expectOk(await who('auth:unlock', { password: 'Work#2026cc' }))
    for (const [i, id] of ids.slice(0, 2).entries()) {
      const c = expectOk(
        await office('records:propose-correction', {
          recordId: id,
          values: { ...PENALTY, CF_WSH: `罚〔2026〕${21 + i}号`, CF_YJ: '《食品安全法》第一百二十四条' },
          reason: '按市平台意见更正',
        }),
      ) as { id: number }
      expect(expectOk(await supervisor('home:todo'))).toMatchObject({ changesToDecide: 1 })
      expectOk(await supervisor('records:decide-change', { id: c.id, decision: 'approved', comment: null }))
    }
    expect((expectOk(await office('records:list', { rejected: true })) as { total: number }).total).toBe(0)
    expect(expectOk(await office('home:todo'))).toMatchObject({ recordsRejected: 0 })
    const p3 = join(work, 'p3.cdpkg')
    expect((await cli('package', 'export', '--to', p3, '--data-dir', b.dataDir)).json()).toMatchObject({
      counts: { records: 2, record_changes: 2 },
    })
    const opened = join(work, 'p3')
    await cli('package', 'open', p3, ...city, '--out', opened)
    const { readFileSync } = await import('node:fs')
    const rows = readFileSync(join(opened, 'tables/records/000001.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rows.map((r) => [r.uid, r.version, r.data.CF_YJ])).toEqual([
      [uids[0], 2, '《食品安全法》第一百二十四条'],
      [uids[1], 2, '《食品安全法》第一百二十四条'],
    ])
    const chain = readFileSync(join(opened, 'tables/record_changes/000001.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(chain).toEqual([
      expect.objectContaining({ recordUid: uids[0], kind: 'correction', version: 2, reason: '按市平台意见更正' }),
      expect.objectContaining({ recordUid: uids[1], kind: 'correction', version: 2 }),
    ])

    // A receipt naming records this office does not have (made by hand) is refused whole: nothing applied.
    const before = await b.db('records').orderBy('id').select('id', 'acknowledged_in', 'rejected_at')
    const { openPackage, writePackage } = await import('../../electron/core/exchange/envelope')
    const { payloadReader, tablesPayload } = await import('../../electron/core/exchange/payload')
    const { suiteOf } = await import('../../electron/core/exchange/suites')
    const { receiptRows } = await import('../../electron/core/exchange/packages')
    const SM = suiteOf('SM2-SM3-SM4')!
    const cityPem = readFileSync(join(keys, 'city.key.pem'), 'utf8')
    const cityPub = readFileSync(join(keys, 'city.pub.pem'), 'utf8')
    const countyPem = readFileSync(countyPub, 'utf8')
    const reader = payloadReader(() => undefined)
    const p3open = await openPackage(
      p3,
      {
        ownKeys: new Map([[SM.fingerprint(cityPub), cityPem]]),
        senders: new Map([[SM.fingerprint(countyPem), { publicPem: countyPem, retired: false }]]),
      },
      (p) => reader.write(p),
    )
    await reader.end()
    const forged = join(work, 'forged.cdpkg')
    await writePackage({
      path: forged,
      suite: SM,
      kind: 'receipt',
      sequence: 2,
      createdAt: new Date().toISOString(),
      sender: { orgName: '市平台', regionCode: '', uscc: '' },
      senderPrivatePem: cityPem,
      recipientPublicPem: countyPem,
      payload: tablesPayload('receipt', {
        receipts: receiptRows(p3open.header, p3open.digest, {}, new Date().toISOString(), [
          { recordUid: uids[2]!, code: 'E1', reason: '有' },
          { recordUid: 'ghost-1', code: 'E1', reason: '无' },
        ]),
      }),
    })
    const bad = await cli('package', 'import', forged, '--data-dir', b.dataDir)
    expect(bad.code).toBe(1)
    expect(bad.err[0]).toContain('回执退回了 1 条本机没有的记录（ghost-1）')
    expect(await b.db('records').orderBy('id').select('id', 'acknowledged_in', 'rejected_at')).toEqual(before)
  })
})

describe('rolling back an import batch', () => {
  async function importBatch(b: Awaited<ReturnType<typeof setup>>['b'], call: Awaited<ReturnType<typeof setup>>['office'], first: number) {
    const ExcelJS = (await import('exceljs')).default
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('处罚')
    const cols = Object.keys(PENALTY)
    ws.addRow(cols)
    for (let i = 0; i < 3; i++)
      ws.addRow(cols.map((c) => (c === 'CF_WSH' ? `罚〔2026〕${first + i}号` : (PENALTY as Record<string, string>)[c])))
    b.openPath.value = join(tempDir(), 'wrong.xlsx')
    await wb.xlsx.writeFile(b.openPath.value)
    const opened = expectOk(await call('records:import-open', { itemCode: 'SGS_CF' })) as { job: { id: string } }
    const wait = async () => {
      for (;;) {
        const job = expectOk(await call('records:import-job', { jobId: opened.job.id })) as { state: string; batchId?: number }
        if (job.state !== 'running') return job
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    await wait()
    expectOk(await call('records:import-commit', { jobId: opened.job.id, mode: 'all' }))
    await wait()
    return (await b.db('import_batches').max({ id: 'id' }).first())!.id as number
  }

  it('asked by a clerk, decided by another person: the batch’s records go, audited; a sent batch cannot go', async () => {
    const { b, office, marketClerk, taxClerk, supervisor } = await setup()
    const batchId = await importBatch(b, marketClerk, 100)
    expect(await b.db('records').where('batch_id', batchId).count({ n: '*' })).toEqual([{ n: 3 }])
    expect(errorOf(await taxClerk('records:request-rollback', { batchId, reason: '导错文件' })).code).toBe('NOT_FOUND')
    expectOk(await marketClerk('records:request-rollback', { batchId, reason: '导错文件' }))
    expect(expectOk(await supervisor('records:batch', { batchId }))).toMatchObject({
      rollbackReason: '导错文件',
      rollbackRequestedBy: 'mclerk',
      blocked: null,
    })
    expect(errorOf(await marketClerk('records:decide-rollback', { batchId, decision: 'approved' })).code).toBe('FORBIDDEN')
    expect(expectOk(await supervisor('records:decide-rollback', { batchId, decision: 'approved' }))).toEqual({ removed: 3 })
    expect(await b.db('records').where('batch_id', batchId).count({ n: '*' })).toEqual([{ n: 0 }])
    const audit = await b.db('audit_log').where({ procedure: 'records:decide-rollback', result: 'ok' }).first()
    expect(JSON.parse(audit!.affected_ids)).toEqual([`import-batch:${batchId}`, 'decision:approved', 'records-removed:3'])
    expect(errorOf(await marketClerk('records:request-rollback', { batchId, reason: '再来' })).details).toMatchObject({
      reason: 'rolled_back',
    })

    // Once a package carried the batch, it stays: corrections and withdrawals are the way.
    const sent = await importBatch(b, office, 200)
    const keys = tempDir()
    await cli('keys', 'generate', '--out', keys, '--name', 'city')
    await cli('keys', 'import-peer', join(keys, 'city.pub.pem'), '--name', '市平台', '--data-dir', b.dataDir)
    expect((await cli('package', 'export', '--to', join(keys, 'p.cdpkg'), '--data-dir', b.dataDir)).code).toBe(0)
    expect(errorOf(await office('records:request-rollback', { batchId: sent, reason: '导错' })).details).toMatchObject({
      reason: 'batch_sent',
    })
    expect(await b.db('records').where('batch_id', sent).count({ n: '*' })).toEqual([{ n: 3 }])
  })

  it('the one who asked cannot approve; a rejection keeps the records and lets the clerk ask again', async () => {
    const { b, admin, supervisor } = await setup()
    const both = await userSession(b, admin, 'both', ['clerk', 'supervisor'])
    const batchId = await importBatch(b, both, 300)
    expectOk(await both('records:request-rollback', { batchId, reason: '导错' }))
    expect(errorOf(await both('records:decide-rollback', { batchId, decision: 'approved' })).code).toBe('SELF_REVIEW')
    expect(expectOk(await supervisor('records:decide-rollback', { batchId, decision: 'rejected' }))).toEqual({ removed: 0 })
    expect(await b.db('records').where('batch_id', batchId).count({ n: '*' })).toEqual([{ n: 3 }])
    expectOk(await both('records:request-rollback', { batchId, reason: '确实导错' }))
  })

  it('a batch one of whose records is being corrected or withdrawn stays', async () => {
    const { b, office } = await setup()
    const batchId = await importBatch(b, office, 400)
    const id = (await b.db('records').where('batch_id', batchId).first('id'))!.id
    expectOk(await office('records:propose-withdrawal', { recordId: id, reason: '复议撤销', document: '复决〔2026〕1号' }))
    expect(errorOf(await office('records:request-rollback', { batchId, reason: '导错' })).details).toMatchObject({ reason: 'batch_in_use' })
  })
})

describe('a correction re-works what depends on the values', () => {
  it('keeps the record’s 失信等级 sent back from the form, and a changed decision date moves the disclosure window', async () => {
    const { office, supervisor, create, detail } = await setup()
    const id = await create(office, 40, { SXDJ: '严重' })
    const shown = await detail(id)
    expect(shown.values.SXDJ).toBe('serious')
    const values = Object.fromEntries(Object.entries(shown.values).map(([k, v]) => [k, v == null ? null : String(v)]))
    const c = expectOk(
      await office('records:propose-correction', { recordId: id, values: { ...values, CF_JDRQ: '2026-11-10' }, reason: '决定日期录错' }),
    ) as {
      id: number
    }
    expectOk(await supervisor('records:decide-change', { id: c.id, decision: 'approved', comment: null }))
    const after = await detail(id)
    expect(after).toMatchObject({
      values: { SXDJ: 'serious', CF_JDRQ: '2026-11-10' },
      dishonestyLevel: 'serious',
      repairableFrom: '2027-11-10',
      disclosureEndsOn: '2029-11-10',
    })
  })
})

describe('a corrected record leaves again as personal data', () => {
  it('the export preview counts it, and a corrected passport record needs the personal-data confirmation again', async () => {
    const { b, office, supervisor, create } = await setup()
    const person = { XDR_MC: 'John Smith', XDR_LB: 'natural_person', XDR_SHXYM: null, ZJLX: 'passport', ZJHM: 'E12345678' }
    const id = await create(office, 50, person)
    const keys = tempDir()
    await cli('keys', 'generate', '--out', keys, '--name', 'city')
    await cli('keys', 'import-peer', join(keys, 'city.pub.pem'), '--name', '市平台', '--data-dir', b.dataDir)
    const countyPub = join(keys, 'county.pub.pem')
    await cli('keys', 'export-public', '--out', countyPub, '--data-dir', b.dataDir)
    const p1 = join(keys, 'p1.cdpkg')
    expect((await cli('package', 'export', '--to', p1, '--data-dir', b.dataDir)).code).toBe(1) // personal data, not confirmed
    expect((await cli('package', 'export', '--to', p1, '--data-dir', b.dataDir, '--confirm-personal')).code).toBe(0)
    const receipt = join(keys, 'r1.cdpkg')
    await cli('package', 'receipt', p1, '--key', join(keys, 'city.key.pem'), '--sender', countyPub, '--to', receipt)
    expect((await cli('package', 'import', receipt, '--data-dir', b.dataDir)).code).toBe(0)

    b.clock.set(Date.now())
    for (const who of [office, supervisor]) expectOk(await who('auth:unlock', { password: 'Work#2026cc' }))
    const shown = (expectOk(await office('records:get', { id })) as RecordDetail).values
    const c = expectOk(
      await office('records:propose-correction', {
        recordId: id,
        values: { ...PENALTY, ...person, CF_WSH: '罚〔2026〕50号', ZJHM: shown.ZJHM, XDR_MC: 'John R. Smith' },
        reason: '姓名',
      }),
    ) as { id: number }
    expectOk(await supervisor('records:decide-change', { id: c.id, decision: 'approved', comment: null }))
    const preview = expectOk(await office('exchange:preview', { full: false })) as {
      counts: Record<string, number>
      personal: Record<string, number>
    }
    expect(preview.counts).toMatchObject({ records: 1, record_changes: 1 })
    expect(preview.personal).toMatchObject({ records: 1 })
    const unconfirmed = await cli('package', 'export', '--to', join(keys, 'p2.cdpkg'), '--data-dir', b.dataDir)
    expect(unconfirmed.code).toBe(1)
    expect(unconfirmed.err.join('\n')).toMatch(/含证件号码的归集记录 1 条/)
  })
})

describe('a receipt that arrives after a correction', () => {
  it('does not acknowledge the corrected version: it goes out in the next package', async () => {
    const { b, office, supervisor, create } = await setup()
    const id = await create(office, 60)
    const keys = tempDir()
    await cli('keys', 'generate', '--out', keys, '--name', 'city')
    await cli('keys', 'import-peer', join(keys, 'city.pub.pem'), '--name', '市平台', '--data-dir', b.dataDir)
    const countyPub = join(keys, 'county.pub.pem')
    await cli('keys', 'export-public', '--out', countyPub, '--data-dir', b.dataDir)
    const p1 = join(keys, 'p1.cdpkg')
    expect((await cli('package', 'export', '--to', p1, '--data-dir', b.dataDir)).code).toBe(0)
    // Corrected after p1 left (the office's clock past the command line's), before the city's receipt for p1 arrives.
    b.clock.set(Date.now() + 1000)
    for (const who of [office, supervisor]) expectOk(await who('auth:unlock', { password: 'Work#2026cc' }))
    const c = expectOk(
      await office('records:propose-correction', {
        recordId: id,
        values: { ...PENALTY, CF_WSH: '罚〔2026〕60号', CF_NR: '罚款四万元' },
        reason: '金额',
      }),
    ) as {
      id: number
    }
    expectOk(await supervisor('records:decide-change', { id: c.id, decision: 'approved', comment: null }))
    const receipt = join(keys, 'r1.cdpkg')
    await cli('package', 'receipt', p1, '--key', join(keys, 'city.key.pem'), '--sender', countyPub, '--to', receipt)
    await new Promise((r) => setTimeout(r, 1100)) // the command line's clock past the correction
    expect((await cli('package', 'import', receipt, '--data-dir', b.dataDir)).code).toBe(0)
    expect((expectOk(await office('records:get', { id })) as RecordDetail).reported).toBeNull()
    const p2 = await cli('package', 'export', '--to', join(keys, 'p2.cdpkg'), '--data-dir', b.dataDir)
    expect(JSON.parse(p2.out.at(-1)!)).toMatchObject({ counts: { records: 1, record_changes: 1 } })
  })
})
