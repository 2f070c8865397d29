// The person registry (一人一档). The 身份证号 is validated, stored sealed (SM4-GCM) with a keyed
// blind index for exact lookup and a masked copy for display; sex comes from it. The birth date is not stored: digits
// 7–14 in clear beside the masked copy (1–6, 15–18) would give the whole number back. It is read from the sealed
// number, and shown only to a viewer with a grant (who may see the full number anyway).
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import type { PersonRow } from '../../../db/tables'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import type { NewPerson, PersonQuery, PersonSummary, PersonUpdate } from '../../contract/schemas/archives'
import type { IsoDate } from '../calendar/working-calendar'
import { checkIdCard } from '../codes/idcard'
import type { FieldKeys } from '../security/field-crypto'
import { blindIndex, maskIdNumber, openField, sealField } from '../security/field-crypto'
import { AppError, fieldError } from '../shared/app-error'
import { countRows } from '../shared/count-rows'
import { activeGrant, refusal, visibleUnits, type ArchiveViewer } from './scope'

const ID_CONTEXT = 'people.id'

export function personIdIndex(keys: FieldKeys, idNumber: string): string {
  return blindIndex(keys, idNumber, 'person.id')
}

async function personIssues(
  db: Knex,
  input: Omit<NewPerson, 'idNumber'> & { id?: number },
  birthDate: string | null,
  today: IsoDate,
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = []
  const unit = await db('org_units').where({ id: input.unitId, enabled: true }).first('id')
  if (!unit) issues.push({ path: 'unitId', message: 'unit.missing' })
  if (input.entryDate > today) issues.push({ path: 'entryDate', message: 'date.future' })
  if (birthDate && input.entryDate < birthDate) issues.push({ path: 'entryDate', message: 'person.entryBeforeBirth' })
  if (input.status !== 'serving' && !input.statusDate) issues.push({ path: 'statusDate', message: 'person.statusDateRequired' })
  if (input.statusDate && input.statusDate < input.entryDate)
    issues.push({ path: 'statusDate', message: 'date.before', params: { other: '参加工作日期' } })
  if (input.userId) {
    const taken = await db('people').where('user_id', input.userId).first('id')
    if (taken && taken.id !== input.id) issues.push({ path: 'userId', message: 'person.userTaken' })
  }
  return issues
}

export async function createPerson(
  db: Knex,
  keys: FieldKeys,
  input: NewPerson,
  userId: number | null,
  now: number,
  today: IsoDate,
): Promise<number> {
  const id = checkIdCard(input.idNumber, new Date(`${today}T23:59:59Z`))
  const issues: FieldIssue[] = id.valid ? [] : [{ path: 'idNumber', message: id.reason }]
  issues.push(...(await personIssues(db, input, id.birthDate ?? null, today)))
  if (id.valid && (await db('people').where('id_index', personIdIndex(keys, id.normalized)).first('id')))
    issues.push({ path: 'idNumber', message: 'person.duplicate' })
  if (issues.length) throw fieldError(issues)
  const [personId] = await db('people').insert({
    uid: randomUUID(),
    name: input.name,
    id_sealed: sealField(keys, id.normalized, ID_CONTEXT),
    id_index: personIdIndex(keys, id.normalized),
    id_masked: maskIdNumber(id.normalized),
    sex: id.sex,
    unit_id: input.unitId,
    post: input.post,
    rank: input.rank,
    political_status: input.politicalStatus,
    entry_date: input.entryDate,
    status: input.status,
    status_date: input.statusDate,
    user_id: input.userId,
    grade: 'trustworthy',
    rules_grade: 'trustworthy',
    grade_source: 'rules',
    created_by: userId,
    created_at: now,
    updated_at: now,
  })
  await db('grade_history').insert({ person_id: personId, grade: 'trustworthy', source: 'rules', reasons: '[]', decided_by: null, at: now })
  return personId!
}

export async function updatePerson(db: Knex, keys: FieldKeys, input: PersonUpdate, now: number, today: IsoDate): Promise<void> {
  const person = await db('people').where('id', input.id).first('id_sealed')
  if (!person) throw new AppError(ErrorCode.NotFound, 'no such person')
  const issues = await personIssues(db, input, birthDateOf(personIdNumber(keys, person.id_sealed)), today)
  if (issues.length) throw fieldError(issues)
  await db('people').where('id', input.id).update({
    name: input.name,
    unit_id: input.unitId,
    post: input.post,
    rank: input.rank,
    political_status: input.politicalStatus,
    entry_date: input.entryDate,
    status: input.status,
    status_date: input.statusDate,
    user_id: input.userId,
    updated_at: now,
  })
}

/** A person's ID number from its sealed form (for a package to the city, which needs it). */
export function personIdNumber(keys: FieldKeys, sealed: string): string {
  return openField(keys, sealed, ID_CONTEXT)
}

/** YYYY-MM-DD from digits 7–14 of a valid 18-digit number. */
export function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`
}

/** The full ID number: only for a viewer holding a grant (the caller checks and the router logs it). */
export async function revealIdNumber(db: Knex, keys: FieldKeys, personId: number): Promise<string> {
  const row = await db('people').where('id', personId).first('id_sealed')
  if (!row) throw new AppError(ErrorCode.NotFound, 'no such person')
  return openField(keys, row.id_sealed, ID_CONTEXT)
}

/** A people row with its unit's name, as the lists and the archive show it. */
export type PersonWithUnit = PersonRow & { unit_name: string }

export async function toPersonSummary(
  db: Knex,
  keys: FieldKeys,
  row: PersonWithUnit,
  viewer: ArchiveViewer,
  now: number,
): Promise<PersonSummary> {
  const refused = await refusal(db, viewer, row)
  const grantedUntil = refused ? null : await activeGrant(db, viewer.userId, row.id, now)
  // Beside the masked number the birth date is the rest of it: only a viewer with a grant sees it.
  const birthDate = grantedUntil ? birthDateOf(personIdNumber(keys, row.id_sealed)) : null
  const pending =
    !refused &&
    !grantedUntil &&
    (await db('archive_access').where({ requester_id: viewer.userId, person_id: row.id, status: 'pending' }).first('id')) != null
  return {
    id: row.id,
    name: row.name,
    idMasked: row.id_masked,
    sex: row.sex,
    birthDate,
    unitId: row.unit_id,
    unitName: row.unit_name,
    post: row.post ?? null,
    rank: row.rank ?? null,
    politicalStatus: row.political_status ?? null,
    entryDate: row.entry_date,
    status: row.status,
    statusDate: row.status_date ?? null,
    userId: row.user_id,
    grade: row.grade,
    gradeSource: row.grade_source,
    access: { grantedUntil, pending, refused },
  }
}

function peopleQuery(db: Knex) {
  return db('people as p').join('org_units as u', 'u.id', 'p.unit_id').select<PersonWithUnit[]>('p.*', 'u.name as unit_name')
}

export async function getPersonSummary(
  db: Knex,
  keys: FieldKeys,
  personId: number,
  viewer: ArchiveViewer,
  now: number,
): Promise<PersonSummary> {
  const [row] = await peopleQuery(db).where('p.id', personId)
  if (!row) throw new AppError(ErrorCode.NotFound, 'no such person')
  return toPersonSummary(db, keys, row, viewer, now)
}

/** Lists the people in the viewer's scope; a full 身份证号 is matched through the blind index, never the masked copy. */
export async function listPeople(
  db: Knex,
  keys: FieldKeys,
  q: PersonQuery,
  viewer: ArchiveViewer,
  now: number,
): Promise<{ items: PersonSummary[]; total: number }> {
  const units = await visibleUnits(db, viewer)
  const filtered = () => {
    const b = db('people as p')
    if (units) b.whereIn('p.unit_id', units)
    if (q.keyword) {
      const kw = q.keyword.normalize('NFKC').trim().toUpperCase()
      if (/^\d{17}[\dX]$/.test(kw)) b.where('p.id_index', personIdIndex(keys, kw))
      else b.where('p.name', '>=', q.keyword).andWhere('p.name', '<', `${q.keyword}\u{10FFFF}`)
    }
    if (q.unitId) b.where('p.unit_id', q.unitId)
    if (q.grade) b.where('p.grade', q.grade)
    if (q.status) b.where('p.status', q.status)
    if (q.entryKind || q.year) {
      b.whereExists((e) => {
        e.select(db.raw('1')).from('archive_entries as e').whereRaw('e.person_id = p.id')
        if (q.entryKind) e.where('e.kind', q.entryKind)
        if (q.year) e.where('e.year', q.year)
      })
    }
    return b
  }
  const total = await countRows(filtered())
  const rows = await filtered()
    .join('org_units as u', 'u.id', 'p.unit_id')
    .select<PersonWithUnit[]>('p.*', 'u.name as unit_name')
    .orderBy([{ column: 'u.sort_order' }, { column: 'p.name' }, { column: 'p.id' }])
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return { items: await Promise.all(rows.map((r) => toPersonSummary(db, keys, r, viewer, now))), total }
}
