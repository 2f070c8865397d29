// The credit part of a data package: 联合奖惩 cases and 信用承诺, taken by update time (both change in place: feedback
// comes in, a commitment is kept or broken).
import type { Knex } from 'knex'
import type { FieldKeys } from '../security/field-crypto'
import { openField } from '../security/field-crypto'
import { byId } from './by-id'
import type { Watermark } from './exchange-data'

/** 联合奖惩 cases changed since the last acknowledged package (a case changes when its feedback comes in). */
export function caseRows(db: Knex, from: Watermark, to: Watermark) {
  return byId(
    () =>
      db('sanction_cases as s')
        .join('org_units as u', 'u.id', 's.deciding_unit_id')
        .leftJoin('dict_items as d', (j) => j.on('d.value', 's.measure').andOnVal('d.type_code', 'sanction_measure'))
        .where('s.updated_at', '>', from.casesAt)
        .andWhere('s.updated_at', '<=', to.casesAt)
        .select('s.*', 'u.name as unit_name', 'u.credit_code as unit_credit_code', 'd.label as measure_label'),
    's.id',
    (rows) =>
      rows.map((c) => ({
        uid: c.uid,
        subjectName: c.subject_name,
        subjectCode: c.subject_shown ?? null,
        direction: c.direction,
        basisSource: c.basis_source,
        basis: c.basis_text,
        applied: Boolean(c.applied),
        measure: c.measure ?? null,
        measureName: c.measure_label ?? null,
        notAppliedReason: c.not_applied_reason ?? null,
        decidingUnit: c.unit_name,
        decidingUnitCreditCode: c.unit_credit_code ?? null,
        decisionDoc: c.decision_doc ?? null,
        decidedOn: c.decided_on,
        feedback: c.feedback ?? null,
        updatedAt: Number(c.updated_at),
      })),
  )
}

/** 信用承诺 changed since the last acknowledged package, with the scan of the 承诺书 (a natural person's ID opened). */
export function commitmentRows(db: Knex, keys: FieldKeys, from: Watermark, to: Watermark) {
  return byId(
    () =>
      db('commitments as c')
        .join('org_units as u', 'u.id', 'c.unit_id')
        .leftJoin('dict_items as d', (j) => j.on('d.value', 'c.commitment_type').andOnVal('d.type_code', 'commitment_type'))
        .where('c.updated_at', '>', from.commitmentsAt)
        .andWhere('c.updated_at', '<=', to.commitmentsAt)
        .select('c.*', 'u.name as unit_name', 'u.credit_code as unit_credit_code', 'd.label as type_label'),
    'c.id',
    (rows) =>
      rows.map((c) => ({
        uid: c.uid,
        subjectName: c.subject_name,
        subjectType: c.subject_type,
        subjectCode: c.subject_code ?? null,
        idNumber: c.subject_id_sealed ? openField(keys, String(c.subject_id_sealed), 'commitments.subject_id') : null,
        type: c.commitment_type,
        typeName: c.type_label ?? null,
        reason: c.reason,
        content: c.content ?? null,
        committedOn: c.committed_on,
        unitName: c.unit_name,
        unitCreditCode: c.unit_credit_code ?? null,
        status: c.status,
        keptOn: c.kept_on ?? null,
        breachFacts: c.status === 'breached' ? c.breach_facts : null,
        breachDoc: c.status === 'breached' ? c.breach_doc : null,
        breachDecidedOn: c.status === 'breached' ? c.breach_decided_on : null,
        updatedAt: Number(c.updated_at),
        scans: c.scan_digest ? [{ fileName: String(c.scan_file_name), storedAs: String(c.scan_digest) }] : [],
      })),
  )
}
