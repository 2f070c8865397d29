import type { Knex } from 'knex'
import type { AuditLogRow, LoginLogRow } from '../../../db/tables'
import { countRows } from '../shared/count-rows'
import { INCIDENT, anchorAfterCommit, auditContent, chainMac, loginContent, previousMac, type Incident } from './audit-chain'
import {
  LOGIN_FAILURES,
  LoginResult,
  type AuditEntry,
  type AuditFilter,
  type AuditQuery,
  type LoginEntry,
  type LoginFilter,
  type LoginQuery,
} from '../../contract/schemas/audit'
import { REFUSAL_CODES } from '../../contract/errors'
import { thisWorkstation } from '../shared/workstation'
import { describeRef, nameSubjects, type SubjectNames } from './audit-subjects'

export interface AuditRecord {
  at: number
  actorUserId: number | null
  actorName: string | null
  procedure: string
  affectedIds: string[]
  /** 'ok' or an error code. */
  result: string
  via?: 'app' | 'cli'
}

/**
 * Appends one audit row, chained by a keyed MAC (audit-chain.ts). Call inside the transaction of the change it
 * records, so both land or neither; the anchor outside the database moves once that transaction commits.
 */
export async function appendAudit(db: Knex, record: AuditRecord): Promise<void> {
  const row = {
    at: record.at,
    actor_user_id: record.actorUserId,
    actor_name: record.actorName,
    procedure: record.procedure,
    affected_ids: JSON.stringify(record.affectedIds),
    result: record.result,
    via: record.via ?? 'app',
    workstation: thisWorkstation(),
  }
  const prev = await previousMac(db, 'audit_log')
  const mac = chainMac(db, prev, auditContent(row))
  // prev_hash / hash keep their meaning for readers of the old chain: the link and the row's own seal.
  const [id] = await db('audit_log').insert({ ...row, prev_hash: prev, hash: mac, mac })
  anchorAfterCommit(db, 'audit_log', id!, mac)
}

export async function appendLogin(db: Knex, at: number, username: string, result: LoginResult, via: 'app' | 'cli' = 'app'): Promise<void> {
  const row = { at, username, result, via, workstation: thisWorkstation() }
  const prev = await previousMac(db, 'login_log')
  const mac = chainMac(db, prev, loginContent(row))
  const [id] = await db('login_log').insert({ ...row, prev_mac: prev, mac })
  anchorAfterCommit(db, 'login_log', id!, mac)
}

/** How a session ended (signed out, idle lock, ended otherwise), in the login log under the user's name. */
export async function logSessionEnd(
  db: Knex,
  ended: { username: string } | undefined | Array<{ username: string }>,
  at: number,
  how: typeof LoginResult.Logout | typeof LoginResult.IdleLock | typeof LoginResult.SessionEnd,
): Promise<void> {
  for (const s of ended === undefined ? [] : Array.isArray(ended) ? ended : [ended]) await appendLogin(db, at, s.username, how)
}

/** Findings at open (dropped triggers, a cut tail, a replaced key), each recorded as an incident row. */
export async function recordIncidents(db: Knex, incidents: Incident[], now: number): Promise<void> {
  for (const i of incidents)
    await appendAudit(db, {
      at: now,
      actorUserId: null,
      actorName: null,
      procedure: i.procedure,
      affectedIds: i.affectedIds,
      result: INCIDENT,
      via: 'app',
    })
}

function auditWhere(q: Knex.QueryBuilder, f: Partial<AuditFilter>): Knex.QueryBuilder {
  if (f.from != null) q.where('at', '>=', f.from)
  if (f.to != null) q.where('at', '<=', f.to)
  if (f.actor) q.where('actor_name', f.actor)
  if (f.procedure) q.where('procedure', f.procedure)
  if (f.result === 'ok') q.where('result', 'ok')
  if (f.result === 'error') q.whereNot('result', 'ok')
  if (f.result === 'refused') q.whereIn('result', REFUSAL_CODES)
  if (f.result === 'failed') q.whereNot('result', 'ok').whereNotIn('result', REFUSAL_CODES)
  return q
}

function loginWhere(q: Knex.QueryBuilder, f: Partial<LoginFilter>): Knex.QueryBuilder {
  if (f.from != null) q.where('at', '>=', f.from)
  if (f.to != null) q.where('at', '<=', f.to)
  if (f.username) q.where('username', f.username)
  if (f.result === 'unsuccessful') q.whereIn('result', LOGIN_FAILURES)
  else if (f.result) q.where('result', f.result)
  return q
}

/** A damaged value is shown as it is stored, not allowed to take the whole list down. */
function parseIds(text: string): string[] {
  try {
    const ids = JSON.parse(text) as unknown
    return Array.isArray(ids) ? ids.map(String) : [String(text)]
  } catch {
    return [String(text)]
  }
}

function toAuditEntry(row: AuditLogRow, names: SubjectNames): AuditEntry {
  const affectedIds = parseIds(row.affected_ids)
  return {
    id: row.id,
    at: Number(row.at),
    actorName: row.actor_name ?? null,
    procedure: row.procedure,
    affectedIds,
    result: row.result,
    workstation: row.workstation ?? null,
    affected: affectedIds.map((ref) => names.get(ref) ?? describeRef(ref)),
  }
}

/** A page of audit rows with the objects they name looked up once per kind. */
async function auditEntries(db: Knex, rows: AuditLogRow[]): Promise<AuditEntry[]> {
  const names = await nameSubjects(
    db,
    rows.flatMap((r) => parseIds(r.affected_ids)),
  )
  return rows.map((r) => toAuditEntry(r, names))
}

function toLoginEntry(row: LoginLogRow): LoginEntry {
  return { id: row.id, at: Number(row.at), username: row.username, result: row.result, via: row.via, workstation: row.workstation ?? null }
}

/** How many rows the audit viewer's filter would list (the auditor's 工作台 links to that filter). */
export const countAudit = (db: Knex, f: Partial<AuditFilter>) => countRows(auditWhere(db('audit_log'), f))
export const countLogins = (db: Knex, f: Partial<LoginFilter>) => countRows(loginWhere(db('login_log'), f))

export async function listAudit(db: Knex, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  const total = await countRows(auditWhere(db('audit_log'), q))
  const rows = await auditWhere(db('audit_log'), q)
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return { items: await auditEntries(db, rows), total }
}

export async function listLogins(db: Knex, q: LoginQuery): Promise<{ items: LoginEntry[]; total: number }> {
  const total = await countRows(loginWhere(db('login_log'), q))
  const rows = await loginWhere(db('login_log'), q)
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return { items: rows.map(toLoginEntry), total }
}

/** Streams every row a filtered query matches, newest first, in id-keyed batches (bounded memory for export). */
async function* newestFirst<Row extends { id: number }, T>(
  filtered: () => Knex.QueryBuilder,
  toEntries: (rows: Row[]) => Promise<T[]>,
  batch: number,
): AsyncGenerator<T> {
  let beforeId = Number.MAX_SAFE_INTEGER
  for (;;) {
    const rows: Row[] = await filtered().where('id', '<', beforeId).orderBy('id', 'desc').limit(batch)
    yield* await toEntries(rows)
    if (rows.length < batch) return
    beforeId = rows[rows.length - 1]!.id
  }
}

export function auditRows(db: Knex, f: AuditFilter, batch = 2000): AsyncGenerator<AuditEntry> {
  return newestFirst(
    () => auditWhere(db('audit_log'), f),
    (rows: AuditLogRow[]) => auditEntries(db, rows),
    batch,
  )
}

export function loginRows(db: Knex, f: LoginFilter, batch = 2000): AsyncGenerator<LoginEntry> {
  return newestFirst(
    () => loginWhere(db('login_log'), f),
    async (rows: LoginLogRow[]) => rows.map(toLoginEntry),
    batch,
  )
}
