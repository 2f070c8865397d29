// What the office holds on a set of subjects: list entries (active or not), 失信 records still in their disclosure period
// and 违诺 commitments. Subjects with a code are found by it (a USCC, or the blind index of an ID number); subjects given
// by name alone are found by the exact name, and their hits are marked as name-only matches. Lookups go in batches of
// keys over indexed columns, so checking ten thousand subjects is a few hundred queries.
import type { Knex } from 'knex'
import type { Hit } from '../../contract/schemas/credit'
import { COMMITMENT_STATUS_LABELS, DISHONESTY_LEVEL_LABELS, LIST_STATUS_LABELS } from '../../contract/labels.zh-CN'
import { DISCLOSURE_STATES } from '../../contract/schemas/records'
import { disclosureStatus, whereDisclosure } from '../catalog/disclosure'
import { listKinds } from './lists'
import { listStatus } from './list-status'
import { listKindWeight, recordWeight } from './verdict'
import type { Subject } from './subject'

const CHUNK = 400

interface Lookup {
  byCode: Map<string, string[]>
  byIdIndex: Map<string, string[]>
  byName: Map<string, string[]>
}

/** Where each subject's key is looked for; several subjects may share one (the same code twice in a file). */
function lookupOf(subjects: readonly Subject[]): Lookup {
  const l: Lookup = { byCode: new Map(), byIdIndex: new Map(), byName: new Map() }
  const put = (m: Map<string, string[]>, k: string, key: string) => m.set(k, [...new Set([...(m.get(k) ?? []), key])])
  for (const s of subjects) {
    if (s.code) put(l.byCode, s.code, s.key)
    else if (s.idNumber) put(l.byIdIndex, s.key.slice(3), s.key)
    else put(l.byName, s.name, s.key)
  }
  return l
}

function chunks<T>(values: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK))
  return out
}

/** Hits per subject key, in a stable order: lists, then records, then commitments. */
export async function findHits(db: Knex, subjects: readonly Subject[], today: string): Promise<Map<string, Hit[]>> {
  const hits = new Map<string, Hit[]>(subjects.map((s) => [s.key, []]))
  const l = lookupOf(subjects)
  const push = (keys: string[] | undefined, hit: Hit) => keys?.forEach((k) => hits.get(k)!.push(hit))
  const kinds = await listKinds(db)

  // Lists and commitments share the subject columns: a code finds the key, a name finds the name.
  const bySubject = async <R extends { subject_key: string; subject_name: string }>(
    table: 'credit_list_entries' | 'commitments',
    extra: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    each: (r: R, keys: string[] | undefined) => void,
  ) => {
    const codeKeys = [...l.byCode.keys(), ...[...l.byIdIndex.keys()].map((i) => `id:${i}`)]
    for (const part of chunks(codeKeys)) {
      const rows: R[] = await extra(db(table).whereIn('subject_key', part)).orderBy('id')
      for (const r of rows) each(r, r.subject_key.startsWith('id:') ? l.byIdIndex.get(r.subject_key.slice(3)) : l.byCode.get(r.subject_key))
    }
    for (const part of chunks([...l.byName.keys()])) {
      const rows: R[] = await extra(db(table).whereIn('subject_name', part)).orderBy('id')
      for (const r of rows) each(r, l.byName.get(r.subject_name))
    }
  }

  await bySubject<{
    subject_key: string
    subject_name: string
    list_kind: string
    decided_by: string
    basis: string
    listed_on: string
    valid_until: string | null
    removed_on: string | null
  }>(
    'credit_list_entries',
    (q) => q.select('subject_key', 'subject_name', 'list_kind', 'decided_by', 'basis', 'listed_on', 'valid_until', 'removed_on'),
    (r, keys) => {
      const status = listStatus({ validUntil: r.valid_until, removedOn: r.removed_on }, today)
      push(keys, {
        source: 'list',
        kind: kinds.get(r.list_kind) ?? r.list_kind,
        basis: r.basis,
        by: r.decided_by,
        date: r.listed_on,
        until: status === 'removed' ? r.removed_on : r.valid_until,
        active: status === 'active',
        state: LIST_STATUS_LABELS[status],
        weight: listKindWeight(r.list_kind),
      })
    },
  )

  type RecordHit = {
    item_name: string
    doc_number: string | null
    decision_date: string | null
    dishonesty_level: string | null
    repairable_from: string | null
    disclosure_ends_on: string | null
    subject_code: string | null
    subject_id_index: string | null
    subject_name: string
    supplier: string | null
  }
  const records = () =>
    whereDisclosure(
      db('records as r')
        .join('catalog_items as i', 'i.id', 'r.item_id')
        .leftJoin('org_units as u', 'u.id', 'r.supplier_unit_id')
        .select<RecordHit[]>(
          'i.name as item_name',
          'r.doc_number',
          'r.decision_date',
          'r.dishonesty_level',
          'r.repairable_from',
          'r.disclosure_ends_on',
          'r.subject_code',
          'r.subject_id_index',
          'r.subject_name',
          'u.name as supplier',
        ),
      'open',
      today,
    )
  const recordHit = (r: RecordHit, keys: string[] | undefined) =>
    push(keys, {
      source: 'record',
      kind: r.item_name,
      basis: r.doc_number ?? '',
      by: r.supplier,
      date: r.decision_date,
      until: r.disclosure_ends_on,
      active: true,
      state: `${DISHONESTY_LEVEL_LABELS[r.dishonesty_level ?? 'general'] ?? ''}·${disclosureStatus({ repairableFrom: r.repairable_from, endsOn: r.disclosure_ends_on }, today) ?? DISCLOSURE_STATES.disclosed}`,
      weight: recordWeight(r.dishonesty_level),
    })
  for (const part of chunks([...l.byCode.keys()]))
    for (const r of await records().whereIn('r.subject_code', part).orderBy('r.id')) recordHit(r, l.byCode.get(r.subject_code!))
  for (const part of chunks([...l.byIdIndex.keys()]))
    for (const r of await records().whereIn('r.subject_id_index', part).orderBy('r.id')) recordHit(r, l.byIdIndex.get(r.subject_id_index!))
  for (const part of chunks([...l.byName.keys()]))
    for (const r of await records().whereIn('r.subject_name', part).orderBy('r.id')) recordHit(r, l.byName.get(r.subject_name))

  const types = new Map(
    (await db('dict_items').where('type_code', 'commitment_type').select('value', 'label')).map((r) => [r.value, r.label] as const),
  )
  await bySubject<{
    subject_key: string
    subject_name: string
    commitment_type: string
    reason: string
    breach_doc: string | null
    breach_decided_on: string | null
    committed_on: string
  }>(
    'commitments',
    (q) =>
      q
        .where('status', 'breached')
        .select('subject_key', 'subject_name', 'commitment_type', 'reason', 'breach_doc', 'breach_decided_on', 'committed_on'),
    (r, keys) =>
      push(keys, {
        source: 'commitment',
        kind: `信用承诺（${types.get(r.commitment_type) ?? r.commitment_type}）`,
        basis: `${r.reason}；违诺认定 ${r.breach_doc ?? ''}`,
        by: null,
        date: r.breach_decided_on,
        until: null,
        active: true,
        state: COMMITMENT_STATUS_LABELS.breached,
        weight: 'watch',
      }),
  )
  return hits
}
