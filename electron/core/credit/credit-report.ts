// 信用报告 for one subject, in the sections of a 信用中国-style public credit report (DOMAIN.md §A) as far as this office
// holds the data: 登记信息, 行政管理信息, 诚实守信相关荣誉信息, 严重失信主体名单信息, 信用承诺信息, 其他信息. Only what is
// disclosable goes in: 失信 records only while in their disclosure period. A report is numbered and kept as produced
// (a reprint is the same report); a 自然人's report needs the reference of the person's written authorisation.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { CreditReport } from '../../contract/schemas/credit'
import {
  COMMITMENT_STATUS_LABELS,
  DISHONESTY_LEVEL_LABELS,
  LIST_STATUS_LABELS,
  SUBJECT_KIND_LABELS,
  reportNumber,
} from '../../contract/labels.zh-CN'
import { DISCLOSURE_STATES } from '../../contract/schemas/records'
import { AppError, fieldError } from '../shared/app-error'
import type { FieldKeys } from '../security/field-crypto'
import { getSettings } from '../system/settings'
import { disclosureStatus } from '../catalog/disclosure'
import { listKinds } from './lists'
import { listStatus } from './list-status'
import { identifySubject, type Subject } from './subject'
import { listKindWeight } from './verdict'
import { knownNames } from './known-names'
import type { CreditReportRow } from '../../../db/tables'

type Section = CreditReport['sections'][number]
type Row = Section['rows'][number]

export interface ReportRequest {
  subject: { name: string | null; code: string | null }
  purpose: string
  authorisation: string | null
  periodFrom: string
  periodTo: string
  /** Command line: the operating-system account that produced it. */
  actorName?: string
}

const row = (pairs: Array<[string, string | null | undefined]>): Row => pairs.map(([label, value]) => ({ label, value: value ?? '' }))

async function recordsOf(db: Knex, s: Subject, from: string, to: string) {
  const q = db('records as r')
    .join('catalog_items as i', 'i.id', 'r.item_id')
    .leftJoin('org_units as u', 'u.id', 'r.supplier_unit_id')
    .where((w) => w.whereBetween('r.decision_date', [from, to]).orWhereNull('r.decision_date'))
    .select<
      Array<{
        item_name: string
        category_code: string
        info_class: string
        doc_number: string | null
        decision_date: string | null
        dishonesty_level: string | null
        repairable_from: string | null
        disclosure_ends_on: string | null
        repaired_on: string | null
        revoked_on: string | null
        supplier: string | null
      }>
    >(
      'i.name as item_name',
      'i.category_code',
      'i.info_class',
      'r.doc_number',
      'r.decision_date',
      'r.dishonesty_level',
      'r.repairable_from',
      'r.disclosure_ends_on',
      'r.repaired_on',
      'r.revoked_on',
      'u.name as supplier',
    )
    .orderBy('r.decision_date')
  if (s.code) q.where('r.subject_code', s.code)
  else q.where('r.subject_id_index', s.key.slice(3))
  return q
}

/** The sections, from what the office holds on `today`. */
async function sectionsFor(db: Knex, s: Subject, from: string, to: string, today: string): Promise<Section[]> {
  const records = await recordsOf(db, s, from, to)
  const kinds = await listKinds(db)
  const lists = (await db('credit_list_entries').where('subject_key', s.key).where('listed_on', '<=', to).orderBy('listed_on')).filter(
    (l) => !l.removed_on || l.removed_on >= from,
  )
  const commitments = await db('commitments as c')
    .join('org_units as o', 'o.id', 'c.unit_id')
    .leftJoin('dict_items as d', (j) => j.on('d.value', 'c.commitment_type').andOnVal('d.type_code', 'commitment_type'))
    .where('c.subject_key', s.key)
    .whereBetween('c.committed_on', [from, to])
    .orderBy('c.committed_on')
    .select<
      Array<{ label: string | null; reason: string; committed_on: string; unit: string; status: keyof typeof COMMITMENT_STATUS_LABELS }>
    >('d.label', 'c.reason', 'c.committed_on', 'o.name as unit', 'c.status')

  const cases = await db('sanction_cases as s')
    .join('org_units as o', 'o.id', 's.deciding_unit_id')
    .leftJoin('dict_items as d', (j) => j.on('d.value', 's.measure').andOnVal('d.type_code', 'sanction_measure'))
    .where('s.subject_key', s.key)
    .whereBetween('s.decided_on', [from, to])
    .orderBy('s.decided_on')
    .select<
      Array<{
        basis_text: string
        applied: number
        measure: string | null
        not_applied_reason: string | null
        unit: string
        decision_doc: string | null
        decided_on: string
      }>
    >('s.basis_text', 's.applied', 'd.label as measure', 's.not_applied_reason', 'o.name as unit', 's.decision_doc', 's.decided_on')
  // 登记信息 as known here: the 法定代表人 named in the latest record that carries one (a name, never an ID number).
  const representative = s.code ? await latestRepresentative(db, s.code) : null
  const registration: Array<[string, string | null]> = [
    ['主体名称', s.name],
    [s.code ? '统一社会信用代码' : '身份证号码', s.shown],
    ['主体类别', SUBJECT_KIND_LABELS[s.kind]],
  ]
  if (representative) registration.push(['法定代表人（负责人）', representative])
  const disclosed = records.filter((r) => {
    if (r.info_class !== 'bad') return true
    const state = disclosureStatus(
      { repairableFrom: r.repairable_from, endsOn: r.disclosure_ends_on, repairedOn: r.repaired_on, revokedOn: r.revoked_on },
      today,
    )
    return state === DISCLOSURE_STATES.disclosed || state === DISCLOSURE_STATES.repairable
  })
  const recordRow = (r: (typeof records)[number]) =>
    row([
      ['信息类别', r.item_name],
      ['决定文书号', r.doc_number],
      ['决定日期', r.decision_date],
      ['提供单位', r.supplier],
      [
        '状态',
        r.info_class === 'bad' ? `${DISHONESTY_LEVEL_LABELS[r.dishonesty_level ?? 'general']}，公示至 ${r.disclosure_ends_on ?? ''}` : '—',
      ],
    ])
  const listRow = (l: (typeof lists)[number]) =>
    row([
      ['名单类型', kinds.get(l.list_kind) ?? l.list_kind],
      ['认定单位', l.decided_by],
      ['认定依据', l.basis],
      ['列入日期', l.listed_on],
      ['有效期至', l.valid_until ?? '长期'],
      [
        '状态',
        LIST_STATUS_LABELS[listStatus({ validUntil: l.valid_until, removedOn: l.removed_on }, today)] +
          (l.removed_on ? `（${l.removed_on} 移出：${l.removed_reason ?? ''}）` : ''),
      ],
    ])
  const administrative = disclosed.filter((r) => r.category_code.startsWith('03'))
  const honours = disclosed.filter((r) => r.category_code === '11')
  const others = disclosed.filter((r) => !r.category_code.startsWith('03') && r.category_code !== '11')
  return [
    {
      key: 'registration',
      title: '一、登记注册基础信息',
      rows: [row(registration)],
      empty: '',
    },
    {
      key: 'administrative',
      title: '二、行政管理信息',
      rows: administrative.map(recordRow),
      empty: '报告期内无行政许可、行政处罚等行政管理信息',
    },
    {
      key: 'honours',
      title: '三、诚实守信相关荣誉信息',
      rows: [...honours.map(recordRow), ...lists.filter((l) => listKindWeight(l.list_kind) === 'reward').map(listRow)],
      empty: '报告期内无相关荣誉信息',
    },
    {
      key: 'lists',
      title: '四、严重失信主体名单信息',
      rows: lists.filter((l) => listKindWeight(l.list_kind) === 'punish').map(listRow),
      empty: '报告期内未被列入严重失信主体名单',
    },
    {
      key: 'commitments',
      title: '五、信用承诺信息',
      rows: commitments.map((c) =>
        row([
          ['承诺类型', c.label],
          ['承诺事由', c.reason],
          ['做出承诺日期', c.committed_on],
          ['承诺受理单位', c.unit],
          ['履约状态', COMMITMENT_STATUS_LABELS[c.status]],
        ]),
      ),
      empty: '报告期内无信用承诺信息',
    },
    {
      key: 'other',
      title: '六、其他信息',
      rows: [
        ...others.map(recordRow),
        ...lists.filter((l) => listKindWeight(l.list_kind) === 'watch').map(listRow),
        ...cases.map((c) =>
          row([
            ['信息类别', '联合奖惩措施'],
            ['依据', c.basis_text],
            ['措施', c.applied ? c.measure : `未采取（${c.not_applied_reason ?? ''}）`],
            ['决定单位', c.unit],
            ['决定文书号', c.decision_doc],
            ['决定日期', c.decided_on],
          ]),
        ),
      ],
      empty: '无',
    },
  ]
}

async function latestRepresentative(db: Knex, code: string): Promise<string | null> {
  const rows = await db('records').where('subject_code', code).orderBy('id', 'desc').limit(20).pluck('data')
  for (const data of rows) {
    const name: unknown = JSON.parse(data).FRDB
    if (typeof name === 'string' && name.trim()) return name.trim()
  }
  return null
}

/** Produces, numbers and keeps a report (with `beforeCommit`, e.g. its audit row, in the same transaction). */
export async function createReport(
  db: Knex,
  keys: FieldKeys,
  req: ReportRequest,
  userId: number | null,
  now: number,
  today: string,
  beforeCommit?: (trx: Knex.Transaction, id: number) => Promise<void>,
): Promise<number> {
  const who = identifySubject(keys, req.subject.name, req.subject.code, today)
  const issues = []
  if (!req.subject.code) issues.push({ path: 'subject.code', message: 'report.codeRequired' })
  else if (!who.ok) issues.push({ path: 'subject.code', message: who.reason })
  if (who.ok && who.subject.kind === 'natural_person' && !req.authorisation)
    issues.push({ path: 'authorisation', message: 'report.authorisationRequired' })
  if (req.periodTo < req.periodFrom) issues.push({ path: 'periodTo', message: 'date.before', params: { other: '报告期起' } })
  if (req.periodTo > today) issues.push({ path: 'periodTo', message: 'date.future' })
  if (issues.length || !who.ok) throw fieldError(issues)
  const s = req.subject.name
    ? who.subject
    : { ...who.subject, name: (await knownNames(db, [who.subject])).get(who.subject.key) ?? who.subject.name }
  const sections = await sectionsFor(db, s, req.periodFrom, req.periodTo, today)
  const year = Number(today.slice(0, 4))
  return db.transaction(async (trx) => {
    const seq = Number((await trx('credit_reports').where('year', year).max({ m: 'seq' }).first())?.m ?? 0) + 1
    const [id] = await trx('credit_reports').insert({
      year,
      seq,
      subject_name: s.name,
      subject_shown: s.shown,
      subject_key: s.key,
      subject_type: s.kind,
      purpose: req.purpose,
      authorisation: req.authorisation,
      period_from: req.periodFrom,
      period_to: req.periodTo,
      sections: JSON.stringify(sections),
      produced_by: userId,
      produced_by_name: userId ? null : (req.actorName ?? null),
      produced_at: now,
    })
    await beforeCommit?.(trx, id!)
    return id!
  })
}

/** Reports produced, newest first; a keyword finds the subject's name or code, or the purpose. */
export async function listReports(db: Knex, q: { keyword: string | null; page: number; pageSize: number }) {
  const filtered = (b: Knex.QueryBuilder) =>
    q.keyword
      ? b.where((w) =>
          w
            .where('r.subject_name', 'like', `%${q.keyword}%`)
            .orWhere('r.subject_shown', q.keyword)
            .orWhere('r.purpose', 'like', `%${q.keyword}%`),
        )
      : b
  const total = Number((await filtered(db('credit_reports as r')).count({ n: '*' }).first())?.n ?? 0)
  const rows: Array<CreditReportRow & { producer: string | null }> = await filtered(
    db('credit_reports as r').leftJoin('users as u', 'u.id', 'r.produced_by').select('r.*', 'u.display_name as producer'),
  )
    .orderBy('r.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      number: reportNumber(r.year, r.seq),
      subjectName: r.subject_name,
      subjectShown: r.subject_shown,
      purpose: r.purpose,
      periodFrom: r.period_from,
      periodTo: r.period_to,
      producedBy: r.producer ?? r.produced_by_name ?? '',
      producedAt: r.produced_at,
    })),
  }
}

export async function getReport(db: Knex, id: number): Promise<CreditReport> {
  const r = await db('credit_reports as r')
    .leftJoin('users as u', 'u.id', 'r.produced_by')
    .where('r.id', id)
    .first<(CreditReportRow & { producer: string | null }) | undefined>('r.*', 'u.display_name as producer')
  if (!r) throw new AppError(ErrorCode.NotFound, 'no such report')
  return {
    id: r.id,
    number: reportNumber(r.year, r.seq),
    subjectName: r.subject_name,
    subjectShown: r.subject_shown,
    subjectType: r.subject_type,
    purpose: r.purpose,
    authorisation: r.authorisation,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    officeName: (await getSettings(db)).orgName,
    producedBy: r.producer ?? r.produced_by_name ?? '',
    producedAt: r.produced_at,
    sections: JSON.parse(r.sections),
  }
}
