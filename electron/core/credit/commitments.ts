// 信用承诺: a register of the commitments a 受理单位 accepted (审批替代型, 容缺受理型, 信用修复型 …) with the scan of the
// signed 承诺书. A commitment is kept (已履约) or broken (违诺). 违诺 is a decision on four eyes: a clerk proposes it
// with the facts and the document, and a supervisor other than the proposer confirms it — which, in the same
// transaction, writes the 失信 record under 信用承诺违诺信息 (XYCN_WN), so checks and reports find it from then on.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { Commitment, CommitmentStatus } from '../../contract/schemas/credit'
import { AppError, fieldError } from '../shared/app-error'
import type { FieldKeys } from '../security/field-crypto'
import { openField } from '../security/field-crypto'
import type { CommitmentRow } from '../../../db/tables'
import { currentItem } from '../catalog/catalog'
import type { LinkedScan } from '../attachments/scan-links'
import { createRecord } from '../catalog/record-entry'
import type { StoreContext } from '../catalog/records'
import { identifySubject, subjectColumns } from './subject'

export const BREACH_ITEM_CODE = 'XYCN_WN'

export interface NewCommitmentInput {
  name: string
  code: string
  type: string
  reason: string
  content: string | null
  committedOn: string
  unitId: number
}

export async function createCommitment(db: Knex, keys: FieldKeys, input: NewCommitmentInput, userId: number, now: number, today: string) {
  const who = identifySubject(keys, input.name, input.code, today)
  const issues = []
  if (!who.ok) issues.push({ path: 'code', message: who.reason })
  if (!(await db('dict_items').where({ type_code: 'commitment_type', value: input.type, enabled: true }).first('id')))
    issues.push({ path: 'type', message: 'dict.unknown' })
  if (input.committedOn > today) issues.push({ path: 'committedOn', message: 'date.future' })
  if (!(await db('org_units').where('id', input.unitId).first('id'))) issues.push({ path: 'unitId', message: 'unit.missing' })
  if (issues.length || !who.ok) throw fieldError(issues)
  const [id] = await db('commitments').insert({
    uid: randomUUID(),
    ...subjectColumns(keys, who.subject, 'commitments'),
    commitment_type: input.type,
    reason: input.reason,
    content: input.content,
    committed_on: input.committedOn,
    unit_id: input.unitId,
    status: 'keeping',
    created_by: userId,
    created_at: now,
    updated_at: now,
  })
  return id!
}

async function commitmentRow(db: Knex, id: number): Promise<CommitmentRow> {
  const row = await db('commitments').where('id', id).first()
  if (!row) throw new AppError(ErrorCode.NotFound, 'no such commitment')
  return row
}

function requireStatus(row: CommitmentRow, status: CommitmentStatus) {
  if (row.status !== status)
    throw new AppError(ErrorCode.InvalidState, `commitment is ${row.status}`, { reason: `commitment_${row.status}` })
}

export async function attachCommitmentScan(db: Knex, id: number, digest: string, fileName: string, now: number) {
  await commitmentRow(db, id)
  await db('commitments').where('id', id).update({ scan_digest: digest, scan_file_name: fileName, updated_at: now })
}

/** The 承诺书 scan of a commitment (its stored digest, the file's name and type); not found when none was attached. */
export async function commitmentScan(db: Knex, id: number): Promise<LinkedScan> {
  const row = await db('commitments as c')
    .join('attachments as a', 'a.digest', 'c.scan_digest')
    .where('c.id', id)
    .first<{ scan_digest: string; scan_file_name: string; mime: string } | undefined>('c.scan_digest', 'c.scan_file_name', 'a.mime')
  if (!row) throw new AppError(ErrorCode.NotFound, 'no scan')
  return { digest: row.scan_digest, fileName: row.scan_file_name, mime: row.mime }
}

export async function markKept(db: Knex, id: number, keptOn: string, now: number, today: string) {
  const row = await commitmentRow(db, id)
  requireStatus(row, 'keeping')
  if (row.breach_proposed_by && !row.breach_decided_by && !row.breach_refused_reason)
    throw new AppError(ErrorCode.InvalidState, 'breach pending', { reason: 'breach_pending' })
  if (keptOn > today) throw fieldError([{ path: 'keptOn', message: 'date.future' }])
  if (keptOn < row.committed_on) throw fieldError([{ path: 'keptOn', message: 'date.before', params: { other: '承诺日期' } }])
  await db('commitments').where('id', id).update({ status: 'kept', kept_on: keptOn, updated_at: now })
}

export async function proposeBreach(
  db: Knex,
  input: { commitmentId: number; facts: string; doc: string; decidedOn: string },
  userId: number,
  now: number,
  today: string,
) {
  const row = await commitmentRow(db, input.commitmentId)
  requireStatus(row, 'keeping')
  if (row.breach_proposed_by && !row.breach_refused_reason)
    throw new AppError(ErrorCode.InvalidState, 'breach pending', { reason: 'breach_pending' })
  if (input.decidedOn > today) throw fieldError([{ path: 'decidedOn', message: 'date.future' }])
  if (input.decidedOn < row.committed_on) throw fieldError([{ path: 'decidedOn', message: 'date.before', params: { other: '承诺日期' } }])
  await db('commitments').where('id', input.commitmentId).update({
    breach_facts: input.facts,
    breach_doc: input.doc,
    breach_decided_on: input.decidedOn,
    breach_proposed_by: userId,
    breach_proposed_at: now,
    breach_decided_by: null,
    breach_decided_at: null,
    breach_refused_reason: null,
    updated_at: now,
  })
}

/**
 * A supervisor's decision on a proposed 违诺. Confirming marks the commitment broken and writes the 失信 record in the
 * same transaction (the record carries the sealed ID number of a natural person, as any record does); refusing keeps
 * the commitment running with the reason. The proposer may not decide.
 */
export async function decideBreach(
  db: Knex,
  ctx: StoreContext,
  input: { commitmentId: number; approve: boolean; reason: string | null },
  userId: number,
  now: number,
  beforeCommit?: (trx: Knex.Transaction, recordId: number | null) => Promise<void>,
): Promise<{ recordId: number | null }> {
  return db.transaction(async (trx) => {
    const row = await commitmentRow(trx, input.commitmentId)
    requireStatus(row, 'keeping')
    if (!row.breach_proposed_by || row.breach_refused_reason)
      throw new AppError(ErrorCode.InvalidState, 'nothing proposed', { reason: 'breach_not_proposed' })
    if (row.breach_proposed_by === userId) throw new AppError(ErrorCode.SelfReview, 'the proposer may not decide the breach')
    if (!input.approve) {
      await trx('commitments')
        .where('id', row.id)
        .update({ breach_refused_reason: input.reason, breach_decided_by: userId, breach_decided_at: now, updated_at: now })
      await beforeCommit?.(trx, null)
      return { recordId: null }
    }
    const item = await currentItem(trx, BREACH_ITEM_CODE)
    const unit = await trx('org_units').where('id', row.unit_id).first('name')
    const idNumber = row.subject_id_sealed ? openField(ctx.keys, row.subject_id_sealed, 'commitments.subject_id') : null
    const record = await createRecord(
      trx,
      item,
      {
        XDR_MC: row.subject_name,
        XDR_LB: row.subject_type,
        XDR_SHXYM: row.subject_code,
        ZJHM: idNumber,
        CN_LX: row.commitment_type,
        CN_SY: row.reason,
        CN_RQ: row.committed_on,
        WN_QK: row.breach_facts,
        WN_WSH: row.breach_doc,
        WN_RDRQ: row.breach_decided_on,
        WN_RDJG: unit?.name ?? '',
      },
      ctx,
      { supplierUnitId: row.unit_id, createdBy: userId, now },
    )
    await trx('commitments')
      .where('id', row.id)
      .update({ status: 'breached', breach_decided_by: userId, breach_decided_at: now, breach_record_id: record.id, updated_at: now })
    await beforeCommit?.(trx, record.id)
    return { recordId: record.id }
  })
}

/** Commitments (`commitments as c`) whose 违诺 was proposed and waits for a supervisor: the list filter and the 工作台 count. */
export function whereBreachPending(b: Knex.QueryBuilder): Knex.QueryBuilder {
  return b.where('c.status', 'keeping').whereNotNull('c.breach_proposed_by').whereNull('c.breach_refused_reason')
}

type ListedRow = CommitmentRow & { unit_name: string; type_label: string | null; proposer: string | null; decider: string | null }

export async function listCommitments(
  db: Knex,
  keys: FieldKeys,
  q: { status: CommitmentStatus | null; pending?: boolean | null; keyword: string | null; page: number; pageSize: number },
  today: string,
): Promise<{ items: Commitment[]; total: number }> {
  const filtered = (b: Knex.QueryBuilder) => {
    if (q.status) b.where('c.status', q.status)
    if (q.pending) whereBreachPending(b)
    if (q.keyword) {
      const who = identifySubject(keys, null, q.keyword, today)
      if (who.ok) b.where('c.subject_key', who.subject.key)
      else b.where('c.subject_name', 'like', `%${q.keyword}%`)
    }
    return b
  }
  const total = Number((await filtered(db('commitments as c')).count({ n: '*' }).first())?.n ?? 0)
  const rows: ListedRow[] = await filtered(
    db('commitments as c')
      .join('org_units as o', 'o.id', 'c.unit_id')
      .leftJoin('dict_items as d', (j) => j.on('d.value', 'c.commitment_type').andOnVal('d.type_code', 'commitment_type'))
      .leftJoin('users as p', 'p.id', 'c.breach_proposed_by')
      .leftJoin('users as x', 'x.id', 'c.breach_decided_by')
      .select('c.*', 'o.name as unit_name', 'd.label as type_label', 'p.display_name as proposer', 'x.display_name as decider'),
  )
    .orderBy('c.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return { total, items: rows.map(commitmentOf) }
}

function commitmentOf(r: ListedRow): Commitment {
  return {
    id: r.id,
    subjectName: r.subject_name,
    subjectShown: r.subject_code ?? r.subject_id_masked,
    type: r.commitment_type,
    typeLabel: r.type_label ?? r.commitment_type,
    reason: r.reason,
    content: r.content,
    committedOn: r.committed_on,
    unitName: r.unit_name,
    scanFileName: r.scan_file_name,
    status: r.status,
    keptOn: r.kept_on,
    breach:
      r.breach_proposed_by && r.breach_proposed_at
        ? {
            facts: r.breach_facts ?? '',
            doc: r.breach_doc ?? '',
            decidedOn: r.breach_decided_on ?? '',
            proposedBy: r.proposer ?? '',
            proposedAt: r.breach_proposed_at,
            decidedBy: r.decider,
            refusedReason: r.breach_refused_reason,
            recordId: r.breach_record_id,
          }
        : null,
  }
}
