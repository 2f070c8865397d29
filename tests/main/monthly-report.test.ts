// The 归集月报 through the router and the command line: what each unit's figures count, at the month's edges, the
// ranking, the Excel export, and the table the data package carries to the city.
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import type { MonthlyReport } from '../../electron/contract/schemas/records'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession, PENALTY } from '../helpers'

const BEIJING = (iso: string) => Date.parse(`${iso}+08:00`)

async function cli(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err }
}

/**
 * November 2026: 市场监管局 reports 3 (one late, one corrected), 税务局 2 (on time, one rejected by the city),
 * 卫健委 reported only in October. Edges: a record reported 31 October, a correction decided 1 December 00:00.
 */
async function november() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const unit = async (name: string) =>
    (expectOk(await admin('units:create', { parentId: null, name, kind: 'county_dept' })) as { id: number }).id
  const market = await unit('县市场监管局')
  const tax = await unit('县税务局')
  const health = await unit('县卫健委')
  const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
  const supervisor = await userSession(b, admin, 'super1', ['supervisor'])
  const at = async (time: string) => {
    b.clock.set(BEIJING(time))
    for (const call of [clerk, supervisor]) await call('auth:unlock', { password: 'Work#2026cc' })
  }
  let n = 0
  const add = async (unitId: number, decided: string) =>
    (
      expectOk(
        await clerk('records:create', {
          itemCode: 'SGS_CF',
          supplierUnitId: unitId,
          values: { ...PENALTY, CF_WSH: `罚〔2026〕${++n}号`, CF_JDRQ: decided, CF_YXQ: '2027-12-31' },
        }),
      ) as { id: number }
    ).id
  const correct = async (id: number) => {
    const c = expectOk(
      await clerk('records:propose-correction', {
        recordId: id,
        values: { ...PENALTY, CF_WSH: `罚〔2026〕${id}号`, CF_NR: '更正后' },
        reason: '更正',
      }),
    ) as {
      id: number
    }
    expectOk(await supervisor('records:decide-change', { id: c.id, decision: 'approved', comment: null }))
  }

  await at('2026-10-20T10:00:00')
  await add(health, '2026-10-19')
  await at('2026-10-31T23:30:00')
  await add(market, '2026-10-30') // October, not November
  await at('2026-11-02T09:00:00')
  const m1 = await add(market, '2026-10-30') // 2 working days: on time
  await add(market, '2026-09-01') // late
  const m3 = await add(market, '2026-11-02')
  const t1 = await add(tax, '2026-11-02')
  const t2 = await add(tax, '2026-11-01')
  await at('2026-11-30T23:59:00')
  await correct(m1) // decided 30 November: counts in November
  await at('2026-12-01T00:00:00')
  await correct(m3) // decided 1 December: not in November
  // The city's rejection as the receipt import stores it (that path: record-changes.test.ts).
  const receipt = (
    await b.db('exchange_packages').insert({
      direction: 'in',
      kind: 'receipt',
      sequence: 1,
      peer_name: '市平台',
      peer_fingerprint: 'city',
      digest: 'x',
      file_name: 'r',
      size: 1,
      full: false,
      counts: '{}',
      created_at: BEIJING('2026-11-25T10:00:00'),
      state: 'done',
    })
  )[0]!
  await b
    .db('record_rejections')
    .insert({ record_id: t1, receipt_id: receipt, code: 'E1', reason: '缺少依据', at: BEIJING('2026-11-25T10:00:00') })
  // The city acknowledged t2 (the receipt import's doing, record-changes.test.ts): it counts as published.
  await b.db('records').where('id', t2).update({ acknowledged_in: receipt })
  return { b, clerk, supervisor, admin, market, tax, health }
}

describe('归集月报', () => {
  it('counts per unit what was reported in the month, on time, first time right, corrected and rejected; ranks the units', async () => {
    const { clerk } = await november()
    const r = expectOk(await clerk('stats:monthly', { month: '2026-11' })) as MonthlyReport
    const row = (unit: string) => r.units.find((u) => u.unit === unit)!
    expect(row('县市场监管局')).toMatchObject({
      records: 3,
      byItem: { SGS_CF: 3 },
      onTime: 2,
      onTimeRate: 0.6667,
      firstPass: 1, // m1 corrected; m3 corrected only in December, but that is its version now
      corrected: 1,
      withdrawn: 0,
      rejected: 0,
      rank: 2,
    })
    expect(row('县税务局')).toMatchObject({
      records: 2,
      onTime: 2,
      onTimeRate: 1,
      firstPass: 1,
      firstPassRate: 0.5,
      toPublish: 2,
      published: 1,
      publishedRate: 0.5,
      rejected: 1,
      rank: 1,
    })
    expect(row('县市场监管局')).toMatchObject({ toPublish: 3, published: 0, publishedRate: 0 })
    expect(row('县卫健委')).toMatchObject({ records: 0, onTimeRate: null, rank: null })
    expect(r.units.map((u) => u.unit)).toEqual(['县税务局', '县市场监管局', '县卫健委'])
    expect(r.total).toMatchObject({ records: 5, onTime: 4, onTimeRate: 0.8, corrected: 1, rejected: 1 })

    const october = expectOk(await clerk('stats:monthly', { month: '2026-10' })) as MonthlyReport
    expect(october.units.map((u) => [u.unit, u.records])).toEqual([
      ['县市场监管局', 1],
      ['县卫健委', 1],
      ['县税务局', 0],
    ])
    const december = expectOk(await clerk('stats:monthly', { month: '2026-12' })) as MonthlyReport
    expect(december.total).toMatchObject({ records: 0, corrected: 1 })
    expect(errorOf(await clerk('stats:monthly', { month: '2026-13' })).code).toBe('VALIDATION')
  })

  it('the command line gives the same figures as JSON', async () => {
    const { b } = await november()
    const r = await cli('stats', 'monthly', '--month', '2026-11', '--data-dir', b.dataDir, '--json')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out.at(-1)!)
    expect(json.month).toBe('2026-11')
    expect(json.units[0]).toMatchObject({
      unit: '县税务局',
      records: 2,
      onTime: 2,
      onTimeRate: 1,
      firstPass: 1,
      corrected: 0,
      withdrawn: 0,
      rejected: 1,
    })
    expect(json.total).toMatchObject({ records: 5, onTime: 4, firstPass: 2, corrected: 1, withdrawn: 0, rejected: 1 })
    const text = await cli('stats', 'monthly', '--month', '2026-11', '--data-dir', b.dataDir)
    expect(text.out.join('\n')).toContain('县税务局\t2\t2\t100.0%')
    expect((await cli('stats', 'monthly', '--month', '11/2026', '--data-dir', b.dataDir)).code).toBe(2)
  })

  it('exports the month as a workbook in rank order with the total and the definitions; audited', async () => {
    const { b, supervisor } = await november()
    b.savePath.value = join(tempDir(), 'm.xlsx')
    expect(expectOk(await supervisor('stats:monthly-export', { month: '2026-11' }))).toMatchObject({ cancelled: false, rows: 3 })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(b.savePath.value)
    const ws = wb.worksheets[0]!
    expect((ws.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['排名', '单位', '报送条数', '行政处罚信息'])
    expect((ws.getRow(2).values as unknown[]).slice(1, 4)).toEqual([1, '县税务局', 2])
    expect((ws.getRow(4).values as unknown[]).slice(1, 3)).toEqual(['本月无报送', '县卫健委'])
    expect((ws.getRow(5).values as unknown[]).slice(2, 4)).toEqual(['合计', 5])
    expect(String(ws.getRow(7).getCell(1).value)).toContain('及时率')
    expect(await b.db('audit_log').where({ procedure: 'stats:monthly-export', result: 'ok' }).first('affected_ids')).toEqual({
      affected_ids: JSON.stringify(['monthly-report:2026-11', 'export:xlsx']),
    })
  })

  it('the data package carries the last complete month as monthly_report', async () => {
    const { b } = await november()
    const keys = tempDir()
    await cli('keys', 'generate', '--out', keys, '--name', 'city')
    await cli('keys', 'import-peer', join(keys, 'city.pub.pem'), '--name', '市平台', '--data-dir', b.dataDir)
    const countyPub = join(keys, 'county.pub.pem')
    await cli('keys', 'export-public', '--out', countyPub, '--data-dir', b.dataDir)
    const p = join(keys, 'p.cdpkg')
    expect((await cli('package', 'export', '--to', p, '--data-dir', b.dataDir)).code).toBe(0)
    const out = join(keys, 'open')
    await cli('package', 'open', p, '--key', join(keys, 'city.key.pem'), '--sender', countyPub, '--out', out)
    const { readFileSync } = await import('node:fs')
    const rows = readFileSync(join(out, 'tables/monthly_report/000001.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    // Exported on the real clock: the month before today's.
    const { previousMonth } = await import('../../electron/core/catalog/monthly-report')
    const { beijingDate } = await import('../../electron/core/catalog/record-context')
    const month = previousMonth(beijingDate(Date.now()))
    expect(rows.every((r) => r.month === month)).toBe(true)
    expect(rows.map((r) => r.unit).sort()).toEqual(['县卫健委', '县市场监管局', '县税务局'].sort())
    expect(rows[0]).not.toHaveProperty('unitId')
  })
})
