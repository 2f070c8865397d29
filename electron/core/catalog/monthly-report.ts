// The month's 归集 report per supplying unit (武汉 "每月 22 日前 …", 月度通报; 黑河 城市信用监测指标): records received
// by item, 及时率 (reported within the 7 working days), 合规率 (records that needed neither a correction nor drew a
// city rejection), corrections and withdrawals decided, city rejections received, and a ranking. Counted by SQL over
// one month of records (an index on reported_on), so its cost follows the month, not the table.
import dayjs from 'dayjs'
import type { Knex } from 'knex'
import type { MonthlyReport, MonthlyUnitRow } from '../../contract/schemas/records'
import { MONTHLY_DEFINITIONS } from '../../contract/labels.zh-CN'
import { headerRow, writeXlsxStream } from '../shared/xlsx-stream'

/** Shown for records entered without a supplying unit. */
export const NO_UNIT = '（未指定单位）'

type Counts = Omit<MonthlyUnitRow, 'unitId' | 'unit' | 'onTimeRate' | 'firstPassRate' | 'publishedRate' | 'rank'>

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null)

/** Month boundaries: dates for reported_on, Beijing-time milliseconds for decisions and receipts. */
function bounds(month: string) {
  const first = dayjs(`${month}-01`)
  const next = first.add(1, 'month')
  return {
    from: first.format('YYYY-MM-DD'),
    to: next.format('YYYY-MM-DD'),
    fromMs: Date.parse(`${first.format('YYYY-MM-DD')}T00:00:00+08:00`),
    toMs: Date.parse(`${next.format('YYYY-MM-DD')}T00:00:00+08:00`),
  }
}

export async function monthlyReport(db: Knex, month: string): Promise<MonthlyReport> {
  const b = bounds(month)
  const byUnit = new Map<number | null, Counts>()
  const at = (unitId: number | null) => {
    let c = byUnit.get(unitId)
    if (!c)
      byUnit.set(
        unitId,
        (c = { records: 0, onTime: 0, firstPass: 0, toPublish: 0, published: 0, corrected: 0, withdrawn: 0, rejected: 0, byItem: {} }),
      )
    return c
  }

  const received = await db('records as r')
    .join('catalog_items as i', 'i.id', 'r.item_id')
    .where('r.reported_on', '>=', b.from)
    .andWhere('r.reported_on', '<', b.to)
    .groupBy('r.supplier_unit_id', 'r.item_code')
    .select(
      'r.supplier_unit_id as unit_id',
      'r.item_code',
      db.raw('count(*) as n'),
      db.raw('sum(CASE WHEN r.is_late THEN 0 ELSE 1 END) as on_time'),
      // 公示率: of the records of 社会公开 items, those the city has acknowledged (it publishes what it receives).
      db.raw("sum(CASE WHEN i.disclosure = 'public' THEN 1 ELSE 0 END) as to_publish"),
      db.raw("sum(CASE WHEN i.disclosure = 'public' AND r.acknowledged_in IS NOT NULL THEN 1 ELSE 0 END) as published"),
      db.raw(
        `sum(CASE WHEN NOT EXISTS (SELECT 1 FROM record_changes c WHERE c.record_id = r.id AND c.kind = 'correction' AND c.status = 'approved')
          AND NOT EXISTS (SELECT 1 FROM record_rejections x WHERE x.record_id = r.id) THEN 1 ELSE 0 END) as first_pass`,
      ),
    )
  for (const r of received) {
    const c = at(r.unit_id ?? null)
    c.records += Number(r.n)
    c.onTime += Number(r.on_time)
    c.firstPass += Number(r.first_pass)
    c.toPublish += Number(r.to_publish)
    c.published += Number(r.published)
    c.byItem[r.item_code] = Number(r.n)
  }

  const changes = await db('record_changes as c')
    .join('records as r', 'r.id', 'c.record_id')
    .where('c.status', 'approved')
    .where('c.decided_at', '>=', b.fromMs)
    .andWhere('c.decided_at', '<', b.toMs)
    .groupBy('r.supplier_unit_id', 'c.kind')
    .select('r.supplier_unit_id as unit_id', 'c.kind', db.raw('count(*) as n'))
  for (const r of changes) at(r.unit_id ?? null)[r.kind === 'correction' ? 'corrected' : 'withdrawn'] += Number(r.n)

  const rejections = await db('record_rejections as x')
    .join('records as r', 'r.id', 'x.record_id')
    .where('x.at', '>=', b.fromMs)
    .andWhere('x.at', '<', b.toMs)
    .groupBy('r.supplier_unit_id')
    .select('r.supplier_unit_id as unit_id', db.raw('count(*) as n'))
  for (const r of rejections) at(r.unit_id ?? null).rejected += Number(r.n)

  // Every unit that supplies data is in the report, a silent one with zeros: not reporting is news too.
  const suppliers = await db('org_units as u')
    .where((w) =>
      w
        .whereExists((e) =>
          e.select(db.raw('1')).from('catalog_items as i').whereRaw('i.supplier_unit_id = u.id').where('i.status', 'approved'),
        )
        .orWhereExists((e) => e.select(db.raw('1')).from('records as r').whereRaw('r.supplier_unit_id = u.id')),
    )
    .orWhereIn(
      'u.id',
      [...byUnit.keys()].filter((k): k is number => k != null),
    )
    .orderBy('u.sort_order')
    .select('u.id', 'u.name')
  for (const u of suppliers) at(u.id)
  const names = new Map<number, string>(suppliers.map((u) => [u.id, u.name]))

  const rows: MonthlyUnitRow[] = [...byUnit].map(([unitId, c]) => ({
    unitId,
    unit: unitId == null ? NO_UNIT : (names.get(unitId) ?? String(unitId)),
    ...c,
    onTimeRate: rate(c.onTime, c.records),
    firstPassRate: rate(c.firstPass, c.records),
    publishedRate: rate(c.published, c.toPublish),
    rank: null,
  }))
  // Ranked by 及时率, then 合规率, then volume; a unit that reported nothing is listed after, unranked.
  rows.sort(
    (a, b) =>
      (b.records ? 1 : 0) - (a.records ? 1 : 0) ||
      (b.onTimeRate ?? 0) - (a.onTimeRate ?? 0) ||
      (b.firstPassRate ?? 0) - (a.firstPassRate ?? 0) ||
      b.records - a.records ||
      a.unit.localeCompare(b.unit, 'zh-CN'),
  )
  let rank = 0
  for (const r of rows) if (r.records) r.rank = ++rank

  const sum = (k: 'records' | 'onTime' | 'firstPass' | 'toPublish' | 'published' | 'corrected' | 'withdrawn' | 'rejected') =>
    rows.reduce((s, r) => s + r[k], 0)
  const byItem: Record<string, number> = {}
  for (const r of rows) for (const [item, n] of Object.entries(r.byItem)) byItem[item] = (byItem[item] ?? 0) + n
  const total = {
    records: sum('records'),
    onTime: sum('onTime'),
    firstPass: sum('firstPass'),
    toPublish: sum('toPublish'),
    published: sum('published'),
    corrected: sum('corrected'),
    withdrawn: sum('withdrawn'),
    rejected: sum('rejected'),
    byItem,
  }
  return {
    month,
    units: rows,
    total: {
      ...total,
      onTimeRate: rate(total.onTime, total.records),
      firstPassRate: rate(total.firstPass, total.records),
      publishedRate: rate(total.published, total.toPublish),
    },
  }
}

/** The month before `today`'s: the one a 月度通报 early in a month speaks of. */
export function previousMonth(today: string): string {
  return dayjs(today).subtract(1, 'month').format('YYYY-MM')
}

/** The month's report saved as a workbook; columns per item are headed by the items' names. */
export async function exportMonthlyWorkbook(db: Knex, month: string, path: string): Promise<number> {
  const names = new Map<string, string>(
    (await db('catalog_items').where('status', 'approved').select('code', 'name')).map((i) => [i.code, i.name]),
  )
  return writeMonthlyWorkbook(await monthlyReport(db, month), names, path)
}

/** The report as a workbook: one row per unit in rank order, then the total, then the definitions. */
async function writeMonthlyWorkbook(report: MonthlyReport, itemNames: Map<string, string>, path: string): Promise<number> {
  const items = Object.keys(report.total.byItem).sort()
  const pct = (r: number | null) => (r == null ? '—' : `${(r * 100).toFixed(1)}%`)
  return writeXlsxStream(path, async (wb) => {
    const ws = wb.addWorksheet('归集月报', { views: [{ state: 'frozen', ySplit: 1 }] })
    headerRow(ws, [
      '排名',
      '单位',
      '报送条数',
      ...items.map((i) => itemNames.get(i) ?? i),
      '及时',
      '及时率',
      '合规',
      '合规率',
      '公示率',
      '更正',
      '撤回',
      '市平台退回',
    ])
    ;[6, 28, 10, ...items.map(() => 12), 8, 9, 8, 9, 9, 8, 8, 11].forEach((w, i) => (ws.getColumn(i + 1).width = w))
    const line = (rank: number | string, unit: string, c: MonthlyReport['total']) =>
      ws
        .addRow([
          rank,
          unit,
          c.records,
          ...items.map((i) => c.byItem[i] ?? 0),
          c.onTime,
          pct(c.onTimeRate),
          c.firstPass,
          pct(c.firstPassRate),
          pct(c.publishedRate),
          c.corrected,
          c.withdrawn,
          c.rejected,
        ])
        .commit()
    for (const u of report.units) line(u.rank ?? '本月无报送', u.unit, u)
    line('', '合计', report.total)
    ws.addRow([]).commit()
    for (const note of MONTHLY_DEFINITIONS) ws.addRow([note]).commit()
    await ws.commit()
    return report.units.length
  })
}
