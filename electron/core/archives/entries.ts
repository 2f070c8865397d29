// Archive entries: typed records with their source document, checked against the person's service
// (no assessment for a year they were not employed, nothing new after they left) and regraded.
import type { Knex } from 'knex'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import { ENTRY_RESULTS, type ArchiveEntry, type EntryInput } from '../../contract/schemas/archives'
import type { IsoDate } from '../calendar/working-calendar'
import { fieldError } from '../shared/app-error'
import { AppError } from '../shared/app-error'
import { regrade } from './grading'

export async function addEntry(
  db: Knex,
  input: EntryInput,
  userId: number | null,
  now: number,
  today: IsoDate,
): Promise<{ id: number; gradeChanged: boolean }> {
  const person = await db('people').where('id', input.personId).first()
  if (!person) throw new AppError(ErrorCode.NotFound, 'no such person')
  const issues: FieldIssue[] = []
  const results = ENTRY_RESULTS[input.kind]
  if (results.length && !input.result) issues.push({ path: 'result', message: 'required' })
  if (input.result && results.length && !results.includes(input.result)) issues.push({ path: 'result', message: 'dict.unknown' })
  if (input.docDate > today) issues.push({ path: 'docDate', message: 'date.future' })
  if (input.effectUntil && input.effectUntil < input.docDate)
    issues.push({ path: 'effectUntil', message: 'date.before', params: { other: '文件日期' } })
  if (['assessment', 'personal_report'].includes(input.kind) && !input.year) issues.push({ path: 'year', message: 'required' })
  const left = person.status !== 'serving' ? person.status_date : null
  if (input.year) {
    const firstYear = Number(String(person.entry_date).slice(0, 4))
    const lastYear = left ? Number(left.slice(0, 4)) : Number(today.slice(0, 4))
    if (input.year < firstYear || input.year > lastYear)
      issues.push({ path: 'year', message: 'entry.notEmployed', params: { from: firstYear, to: lastYear } })
  }
  if (
    input.kind === 'assessment' &&
    input.year &&
    (await db('archive_entries').where({ person_id: input.personId, kind: 'assessment', year: input.year }).first('id'))
  ) {
    issues.push({ path: 'year', message: 'entry.assessmentExists' })
  }
  if (left && input.docDate > left) {
    issues.push({
      path: 'docDate',
      message: 'entry.afterLeaving',
      params: { status: { transferred: '调离', retired: '退休', deceased: '离世' }[person.status as string] ?? '', date: left },
    })
  }
  if (issues.length) throw fieldError(issues)
  const [id] = await db('archive_entries').insert({
    person_id: input.personId,
    kind: input.kind,
    year: input.year,
    result: input.result,
    title: input.title,
    doc_number: input.docNumber,
    doc_date: input.docDate,
    issuer: input.issuer,
    details: input.details,
    effect_until: input.effectUntil,
    created_by: userId,
    created_at: now,
  })
  const gradeChanged = await regrade(db, input.personId, today, now)
  return { id: id!, gradeChanged }
}

export async function listEntries(db: Knex, personId: number): Promise<ArchiveEntry[]> {
  const rows = await db('archive_entries as e')
    .leftJoin('users as u', 'u.id', 'e.created_by')
    .where('e.person_id', personId)
    .orderBy([
      { column: 'e.doc_date', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ])
    .select('e.*', 'u.display_name as created_by_name')
  const files = await db('entry_attachments as ea')
    .join('attachments as a', 'a.digest', 'ea.digest')
    .whereIn(
      'ea.entry_id',
      rows.map((r) => r.id),
    )
    .select('ea.entry_id', 'ea.digest', 'ea.file_name', 'a.size', 'a.mime')
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    year: r.year ?? null,
    result: r.result ?? null,
    title: r.title,
    docNumber: r.doc_number ?? null,
    docDate: r.doc_date,
    issuer: r.issuer,
    details: r.details ?? null,
    effectUntil: r.effect_until ?? null,
    createdByName: r.created_by_name ?? null,
    createdAt: Number(r.created_at),
    attachments: files
      .filter((f) => f.entry_id === r.id)
      .map((f) => ({ digest: f.digest, fileName: f.file_name, size: f.size, mime: f.mime })),
  }))
}

/** Whose archive an entry belongs to (for the scope and recusal checks before attaching to it). */
export async function entryPerson(db: Knex, entryId: number): Promise<number> {
  const entry = await db('archive_entries').where('id', entryId).first('person_id')
  if (!entry) throw new AppError(ErrorCode.NotFound, 'no such entry')
  return entry.person_id
}
