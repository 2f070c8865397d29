// Who a list entry, a check, a commitment or a report is about. A subject is keyed the way records are
// (records.subject_key): the 统一社会信用代码 itself, `id:` + the blind index of a 身份证号, or `name:` + the name when no
// code is known — so one key finds the subject in every table. A USCC is public and kept in full; an ID number is sealed
// and only ever shown masked.
import type { SubjectKind } from '../../contract/schemas/credit'
import { checkCode } from '../codes/check-code'
import { normalizeCode } from '../codes/normalize'
import type { FieldKeys } from '../security/field-crypto'
import { blindIndex, maskIdNumber, sealField } from '../security/field-crypto'

export interface Subject {
  name: string
  kind: SubjectKind
  /** A USCC, in full. */
  code: string | null
  /** A natural person's ID number (plain: sealed before it is stored). */
  idNumber: string | null
  key: string
  /** What screens and printouts show: the USCC, or the masked ID number. */
  shown: string | null
}

export type SubjectOutcome = { ok: true; subject: Subject } | { ok: false; reason: string; shown: string | null }

/** The record list's key of an ID number (records.subject_id_index): the same index, the same key. */
export function idKey(keys: FieldKeys, idNumber: string): string {
  return `id:${blindIndex(keys, idNumber, 'person.id')}`
}

export function nameKey(name: string): string {
  return `name:${name}`
}

/** Names as typed: full-width spaces and brackets as they come, outer spaces gone. */
export function cleanName(raw: string | null | undefined): string {
  return (raw ?? '').replace(/^[\s\u00a0\u3000]+|[\s\u00a0\u3000]+$/g, '')
}

/**
 * Reads a subject from a name and/or a code. A code is checked (GB 32100 / GB 11643) and must pass: a wrong check
 * digit is refused, never looked up by name instead. Without a code, the name alone is the key (a name-only match).
 */
export function identifySubject(
  keys: FieldKeys,
  rawName: string | null | undefined,
  rawCode: string | null | undefined,
  today: string,
): SubjectOutcome {
  const name = cleanName(rawName)
  const typed = normalizeCode(rawCode ?? '')
  if (!typed) {
    if (!name) return { ok: false, reason: 'credit.subjectMissing', shown: null }
    return { ok: true, subject: { name, kind: 'unknown', code: null, idNumber: null, key: nameKey(name), shown: null } }
  }
  const verdict = checkCode(typed, new Date(`${today}T23:59:59Z`))
  if (!verdict.valid) return { ok: false, reason: verdict.reason, shown: verdict.kind === 'idcard' ? maskIdNumber(typed) : typed }
  if (verdict.kind === 'idcard') {
    const masked = maskIdNumber(verdict.code)
    return {
      ok: true,
      subject: {
        name: name || masked,
        kind: 'natural_person',
        code: null,
        idNumber: verdict.code,
        key: idKey(keys, verdict.code),
        shown: masked,
      },
    }
  }
  const kind: SubjectKind = verdict.code.startsWith('92') ? 'individual_business' : 'legal'
  return {
    ok: true,
    subject: { name: name || verdict.code, kind, code: verdict.code, idNumber: null, key: verdict.code, shown: verdict.code },
  }
}

/** The subject columns shared by credit_list_entries and commitments (ID numbers sealed, bound to their table). */
export function subjectColumns(keys: FieldKeys, s: Subject, table: 'credit_list_entries' | 'commitments') {
  return {
    subject_name: s.name,
    subject_type: s.kind,
    subject_code: s.code,
    subject_id_sealed: s.idNumber ? sealField(keys, s.idNumber, `${table}.subject_id`) : null,
    subject_id_masked: s.idNumber ? maskIdNumber(s.idNumber) : null,
    subject_key: s.key,
  }
}
