import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import { countRows } from '../shared/count-rows'
import type { AuditEntry, AuditFilter, AuditQuery, ChainCheck, LoginEntry, LoginFilter, LoginQuery, LoginResult } from '../../contract/schemas/audit'

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

const GENESIS = '0'.repeat(64)

// Each row's hash covers its content and the previous row's hash, so a row removed or edited
// outside the app (the triggers already refuse it inside) shows up as a break in the chain.
function rowHash(prevHash: string, r: Required<AuditRecord>): string {
  const content = JSON.stringify([prevHash, r.at, r.actorUserId, r.actorName, r.procedure, r.affectedIds, r.result, r.via])
  return createHash('sha256').update(content).digest('hex')
}

/** Appends one audit row. Call inside the transaction of the change it records, so both land or neither. */
export async function appendAudit(db: Knex, record: AuditRecord): Promise<void> {
  const full: Required<AuditRecord> = { via: 'app', ...record }
  const last = await db('audit_log').orderBy('id', 'desc').first('hash')
  const prevHash = (last?.hash as string | undefined) ?? GENESIS
  await db('audit_log').insert({
    at: full.at,
    actor_user_id: full.actorUserId,
    actor_name: full.actorName,
    procedure: full.procedure,
    affected_ids: JSON.stringify(full.affectedIds),
    result: full.result,
    via: full.via,
    prev_hash: prevHash,
    hash: rowHash(prevHash, full),
  })
}

export async function appendLogin(db: Knex, at: number, username: string, result: LoginResult, via: 'app' | 'cli' = 'app'): Promise<void> {
  await db('login_log').insert({ at, username, result, via })
}

function auditWhere(q: Knex.QueryBuilder, f: AuditFilter): Knex.QueryBuilder {
  if (f.from != null) q.where('at', '>=', f.from)
  if (f.to != null) q.where('at', '<=', f.to)
  if (f.actor) q.where('actor_name', f.actor)
  if (f.procedure) q.where('procedure', f.procedure)
  if (f.result === 'ok') q.where('result', 'ok')
  if (f.result === 'error') q.whereNot('result', 'ok')
  return q
}

function loginWhere(q: Knex.QueryBuilder, f: LoginFilter): Knex.QueryBuilder {
  if (f.from != null) q.where('at', '>=', f.from)
  if (f.to != null) q.where('at', '<=', f.to)
  if (f.username) q.where('username', f.username)
  if (f.result) q.where('result', f.result)
  return q
}

function toAuditEntry(row: Record<string, unknown>): AuditEntry {
  return {
    id: row.id as number,
    at: Number(row.at),
    actorName: (row.actor_name as string | null) ?? null,
    procedure: row.procedure as string,
    affectedIds: JSON.parse(row.affected_ids as string) as string[],
    result: row.result as string,
  }
}

function toLoginEntry(row: Record<string, unknown>): LoginEntry {
  return { id: row.id as number, at: Number(row.at), username: row.username as string, result: row.result as LoginResult, via: row.via as string }
}

export async function listAudit(db: Knex, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  const total = await countRows(auditWhere(db('audit_log'), q))
  const rows = await auditWhere(db('audit_log'), q).orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize)
  return { items: rows.map(toAuditEntry), total }
}

export async function listLogins(db: Knex, q: LoginQuery): Promise<{ items: LoginEntry[]; total: number }> {
  const total = await countRows(loginWhere(db('login_log'), q))
  const rows = await loginWhere(db('login_log'), q).orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize)
  return { items: rows.map(toLoginEntry), total }
}

/** Streams every row a filtered query matches, newest first, in id-keyed batches (bounded memory for export). */
async function* newestFirst<T>(filtered: () => Knex.QueryBuilder, toEntry: (row: Record<string, unknown>) => T, batch: number): AsyncGenerator<T> {
  let beforeId = Number.MAX_SAFE_INTEGER
  for (;;) {
    const rows = await filtered().where('id', '<', beforeId).orderBy('id', 'desc').limit(batch)
    for (const row of rows) yield toEntry(row)
    if (rows.length < batch) return
    beforeId = rows[rows.length - 1].id as number
  }
}

export function auditRows(db: Knex, f: AuditFilter, batch = 2000): AsyncGenerator<AuditEntry> {
  return newestFirst(() => auditWhere(db('audit_log'), f), toAuditEntry, batch)
}

export function loginRows(db: Knex, f: LoginFilter, batch = 2000): AsyncGenerator<LoginEntry> {
  return newestFirst(() => loginWhere(db('login_log'), f), toLoginEntry, batch)
}

/** Walks the whole chain in id order and reports the first row whose hash does not follow. */
export async function verifyAuditChain(db: Knex, batch = 5000): Promise<ChainCheck> {
  let prev = GENESIS
  let afterId = 0
  let checked = 0
  for (;;) {
    const rows = await db('audit_log').where('id', '>', afterId).orderBy('id').limit(batch)
    for (const row of rows) {
      const expected = rowHash(prev, {
        at: Number(row.at),
        actorUserId: row.actor_user_id ?? null,
        actorName: row.actor_name ?? null,
        procedure: row.procedure,
        affectedIds: JSON.parse(row.affected_ids),
        result: row.result,
        via: row.via,
      })
      if (row.prev_hash !== prev || row.hash !== expected) return { intact: false, checked, firstBrokenId: row.id }
      prev = row.hash
      checked++
    }
    if (rows.length < batch) return { intact: true, checked, firstBrokenId: null }
    afterId = rows[rows.length - 1].id
  }
}
