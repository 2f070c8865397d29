// The current query of the 名单, 联合奖惩 and 信用承诺 lists as workbooks (what every list page offers): the same
// filters as the screen, every page of them, in words; ID numbers masked as on screen.
import type { Knex } from 'knex'
import { COMMITMENT_STATUS_LABELS, LIST_SOURCE_LABELS, LIST_STATUS_LABELS } from '../../contract/labels.zh-CN'
import type { FieldKeys } from '../security/field-crypto'
import { headerRow, writeXlsxStream, type StreamedSheet } from '../shared/xlsx-stream'
import { queryLists, type ListQueryInput } from './lists'
import { listCases } from './sanction-cases'
import { listCommitments } from './commitments'

const PAGE = 500

/** Writes every page `fetch` returns as rows of one sheet; returns how many rows went out. */
async function allPages<T>(
  path: string,
  sheet: string,
  header: string[],
  widths: number[],
  fetch: (page: number) => Promise<{ items: T[]; total: number }>,
  cells: (row: T) => Array<string | number | null>,
): Promise<number> {
  return writeXlsxStream(path, async (wb) => {
    const ws: StreamedSheet = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] })
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w))
    headerRow(ws, header)
    let written = 0
    for (let page = 1; ; page++) {
      const { items, total } = await fetch(page)
      for (const item of items) ws.addRow(cells(item)).commit()
      written += items.length
      if (!items.length || written >= total) break
    }
    await ws.commit()
    return written
  })
}

export function exportLists(db: Knex, keys: FieldKeys, q: Omit<ListQueryInput, 'page' | 'pageSize'>, today: string, path: string) {
  return allPages(
    path,
    '名单',
    [
      '主体名称',
      '统一社会信用代码或证件号码',
      '名单类型',
      '状态',
      '认定单位',
      '认定依据',
      '列入日期',
      '有效期至',
      '移出日期',
      '移出原因',
      '来源',
      '备注',
    ],
    [30, 22, 14, 8, 24, 24, 12, 12, 12, 24, 12, 24],
    (page) => queryLists(db, keys, { ...q, page, pageSize: PAGE }, today),
    (e) => [
      e.subjectName,
      e.subjectShown,
      e.kindLabel,
      LIST_STATUS_LABELS[e.status],
      e.decidedBy,
      e.basis,
      e.listedOn,
      e.validUntil ?? '长期',
      e.removedOn,
      e.removedReason,
      LIST_SOURCE_LABELS[e.source],
      e.note,
    ],
  )
}

export function exportCases(db: Knex, q: Omit<Parameters<typeof listCases>[1], 'page' | 'pageSize'>, path: string) {
  return allPages(
    path,
    '联合奖惩案例',
    [
      '决定日期',
      '主体名称',
      '统一社会信用代码或证件号码',
      '类别',
      '依据',
      '采取的措施',
      '未采取的原因',
      '决定单位',
      '决定文书号',
      '核查编号',
      '执行反馈',
    ],
    [12, 30, 22, 10, 36, 30, 30, 24, 20, 18, 30],
    (page) => listCases(db, { ...q, page, pageSize: PAGE }),
    (c) => [
      c.decidedOn,
      c.subjectName,
      c.subjectShown,
      c.direction === 'punish' ? '失信惩戒' : '守信激励',
      c.basisText,
      c.applied ? c.measureLabel : null,
      c.applied ? null : c.notAppliedReason,
      c.decidingUnit,
      c.decisionDoc,
      c.checkNumber,
      c.feedback,
    ],
  )
}

export function exportCommitments(
  db: Knex,
  keys: FieldKeys,
  q: Omit<Parameters<typeof listCommitments>[2], 'page' | 'pageSize'>,
  today: string,
  path: string,
) {
  return allPages(
    path,
    '信用承诺',
    [
      '主体名称',
      '统一社会信用代码或证件号码',
      '承诺类型',
      '承诺事由',
      '承诺日期',
      '受理单位',
      '履约状态',
      '履约日期',
      '违诺认定文书号',
      '违诺认定日期',
    ],
    [30, 22, 12, 30, 12, 24, 10, 12, 20, 12],
    (page) => listCommitments(db, keys, { ...q, page, pageSize: PAGE }, today),
    (c) => [
      c.subjectName,
      c.subjectShown,
      c.typeLabel,
      c.reason,
      c.committedOn,
      c.unitName,
      COMMITMENT_STATUS_LABELS[c.status],
      c.keptOn,
      c.status === 'breached' ? (c.breach?.doc ?? null) : null,
      c.status === 'breached' ? (c.breach?.decidedOn ?? null) : null,
    ],
  )
}
