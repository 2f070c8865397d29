// What makes the audit trail hard to alter quietly (等保 安全审计):
// - a keyed chain: each row of audit_log and login_log carries HMAC-SHA256(key, previous MAC ‖ row content), the key
//   in keys/audit.key outside the database, so a row edited and the chain recomputed forward does not verify;
// - an anchor outside the database (keys/audit-anchor.json): the last row of each log and its MAC, moved forward after
//   every commit, so deleting the last rows (or all of them) is seen;
// - the append-only triggers, checked at every open and recreated if someone dropped them.
// Whatever is found at open is itself logged as an incident row, and verifyAuditTrail reports every broken row.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { ensurePrivateDir } from '../shared/private-files'
import { writeFileAtomic } from '../shared/write-file'

const AUDIT_KEY_FILE = 'audit.key'
const AUDIT_ANCHOR_FILE = 'audit-anchor.json'
const KEY_DIR = 'keys'
const LEGACY_GENESIS = '0'.repeat(64)
export const INCIDENT = 'INCIDENT'

export type LogTable = 'audit_log' | 'login_log'
const TABLES: LogTable[] = ['audit_log', 'login_log']

interface Trail {
  key: Buffer
  dir: string
  anchor: Anchor
}
type Anchor = Record<LogTable, { id: number; mac: string } | null>

/** Open trails by database file (a transaction's client shares its database's file name). */
const trails = new Map<string, Trail>()
const fileOf = (db: Knex) => String((db.client as { config: { connection: { filename: string } } }).config.connection.filename)

function trailOf(db: Knex): Trail {
  const trail = trails.get(fileOf(db))
  if (!trail) throw new Error('audit trail not opened for this database')
  return trail
}

/** The stored content of a row, exactly as it sits in its columns (no parsing: a damaged value still has a MAC). */
export function auditContent(r: {
  at: number | string
  actor_user_id: number | null
  actor_name: string | null
  procedure: string
  affected_ids: string
  result: string
  via: string
  workstation?: string | null
}): string {
  return JSON.stringify([
    'audit',
    Number(r.at),
    r.actor_user_id ?? null,
    r.actor_name ?? null,
    r.procedure,
    r.affected_ids,
    r.result,
    r.via,
    ...withWorkstation(r.workstation),
  ])
}

export function loginContent(r: {
  at: number | string
  username: string
  result: string
  via: string
  workstation?: string | null
}): string {
  return JSON.stringify(['login', Number(r.at), r.username, r.result, r.via, ...withWorkstation(r.workstation)])
}

/** Rows from before the workstation column keep their content (and so their MAC); newer rows seal it too. */
const withWorkstation = (w: string | null | undefined) => (w == null ? [] : [w])

export function chainMac(db: Knex, prevMac: string, content: string): string {
  return macWith(trailOf(db).key, prevMac, content)
}

function macWith(key: Buffer, prevMac: string, content: string): string {
  return createHmac('sha256', key).update(prevMac).update('\n').update(content).digest('hex')
}

/** The MAC the next row of `table` chains from: the last row's MAC, or (first keyed row) its legacy hash. */
export async function previousMac(db: Knex, table: LogTable): Promise<string> {
  if (table === 'audit_log') {
    const last = await db('audit_log').orderBy('id', 'desc').first('mac', 'hash')
    return last?.mac ?? last?.hash ?? LEGACY_GENESIS
  }
  const last = await db('login_log').orderBy('id', 'desc').first('mac')
  return last?.mac ?? LEGACY_GENESIS
}

/** Moves the anchor to a committed row (after the transaction that wrote it commits; never backwards). */
export function anchorAfterCommit(db: Knex, table: LogTable, id: number, mac: string): void {
  const trail = trailOf(db)
  const move = () => {
    const current = trail.anchor[table]
    if (current && current.id >= id) return
    trail.anchor = { ...trail.anchor, [table]: { id, mac } }
    writeFileAtomic(join(trail.dir, AUDIT_ANCHOR_FILE), JSON.stringify(trail.anchor))
  }
  if (db.isTransaction) (db as Knex.Transaction).executionPromise.then(move, () => undefined)
  else move()
}

function readAnchor(dir: string): Anchor | null {
  const file = join(dir, AUDIT_ANCHOR_FILE)
  if (!existsSync(file)) return null
  try {
    const parsed: Partial<Anchor> = JSON.parse(readFileSync(file, 'utf8'))
    return { audit_log: parsed.audit_log ?? null, login_log: parsed.login_log ?? null }
  } catch {
    return null
  }
}

const TRIGGERS = TABLES.flatMap((table) => [
  {
    name: `${table}_no_update`,
    sql: `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
  },
  {
    name: `${table}_no_delete`,
    sql: `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
  },
])

export type Incident = { procedure: string; affectedIds: string[] }

/**
 * Loads (or makes) the audit key, recreates missing append-only triggers, and compares the logs with the anchor.
 * Returns what it found; the caller logs each finding as an incident row (appendAudit, which also moves the anchor).
 */
export async function openAuditTrail(db: Knex, dataDir: string): Promise<Incident[]> {
  const dir = join(dataDir, KEY_DIR)
  ensurePrivateDir(dir)
  const incidents: Incident[] = []
  const keyed = async (table: LogTable) => (await db(table).whereNotNull('mac').first('id')) != null
  const keyFile = join(dir, AUDIT_KEY_FILE)
  let key: Buffer
  if (existsSync(keyFile)) key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')
  else {
    key = randomBytes(32)
    writeFileAtomic(keyFile, key.toString('base64'))
    for (const table of TABLES)
      if (await keyed(table)) incidents.push({ procedure: 'system:audit-key-replaced', affectedIds: [`table:${table}`] })
  }
  const existing = (await db('sqlite_master').where('type', 'trigger').pluck('name')) as string[]
  const missing = TRIGGERS.filter((t) => !existing.includes(t.name))
  for (const t of missing) await db.raw(t.sql)
  if (missing.length) incidents.push({ procedure: 'system:audit-triggers-restored', affectedIds: missing.map((t) => `trigger:${t.name}`) })

  const anchor = readAnchor(dir)
  const found: Anchor = { audit_log: null, login_log: null }
  for (const table of TABLES) {
    const last = await db(table).whereNotNull('mac').orderBy('id', 'desc').first('id', 'mac')
    found[table] = last ? { id: Number(last.id), mac: String(last.mac) } : null
    const expected = anchor?.[table]
    if (!anchor && last) incidents.push({ procedure: 'system:audit-anchor-missing', affectedIds: [`table:${table}`] })
    if (expected) {
      const row = await db(table).where('id', expected.id).first('mac')
      if (!row || row.mac !== expected.mac)
        incidents.push({
          procedure: 'system:audit-tail-missing',
          affectedIds: [`table:${table}`, `last-anchored:${expected.id}`, `last-present:${last?.id ?? 0}`],
        })
    }
  }
  trails.set(fileOf(db), { key, dir, anchor: found })
  writeFileAtomic(join(dir, AUDIT_ANCHOR_FILE), JSON.stringify(found))
  return incidents
}

export interface TrailProblem {
  table: LogTable
  id: number
  problem: 'hash' | 'mac' | 'unkeyed_after_keyed' | 'bad_json' | 'incident' | 'tail_missing'
  detail?: string
}

const MAX_LISTED = 500

/** Walks both logs in id order, reporting every broken row (at most 500 listed) and the anchor's verdict. */
export async function verifyAuditTrail(
  db: Knex,
  batch = 5000,
): Promise<{ intact: boolean; checked: number; problems: TrailProblem[]; problemCount: number }> {
  const trail = trailOf(db)
  const problems: TrailProblem[] = []
  let count = 0
  const report = (p: TrailProblem) => {
    count++
    if (problems.length < MAX_LISTED) problems.push(p)
  }
  let checked = 0
  for (const table of TABLES) {
    let prev = LEGACY_GENESIS
    let sawKeyed = false
    let afterId = 0
    for (;;) {
      // Read untyped: a tampered file may hold anything in any column.
      const rows = await db<Record<string, unknown>>(table).where('id', '>', afterId).orderBy('id').limit(batch)
      for (const row of rows) {
        const id = Number(row.id)
        checked++
        if (row.mac != null) {
          sawKeyed = true
          const content = table === 'audit_log' ? auditContent(row as never) : loginContent(row as never)
          // The MAC covers the previous row's MAC: a row removed from the middle breaks the one after it.
          if (row.mac !== macWith(trail.key, prev, content)) report({ table, id, problem: 'mac' })
          if (table === 'audit_log' && row.result === INCIDENT) report({ table, id, problem: 'incident', detail: String(row.procedure) })
          prev = String(row.mac)
        } else if (sawKeyed) {
          report({ table, id, problem: 'unkeyed_after_keyed' })
        } else if (table === 'audit_log') {
          // Written before the keyed chain: the old SHA-256 chain, as it was.
          let ids: unknown
          try {
            ids = JSON.parse(String(row.affected_ids))
          } catch {
            report({ table, id, problem: 'bad_json' })
          }
          const legacy = createHash('sha256')
            .update(
              JSON.stringify([
                prev,
                Number(row.at),
                row.actor_user_id ?? null,
                row.actor_name ?? null,
                row.procedure,
                ids,
                row.result,
                row.via,
              ]),
            )
            .digest('hex')
          if (ids !== undefined && (row.prev_hash !== prev || row.hash !== legacy)) report({ table, id, problem: 'hash' })
          prev = String(row.hash)
        }
      }
      if (rows.length < batch) break
      afterId = Number(rows[rows.length - 1]!.id)
    }
    // The anchor: its row must still be there, with its MAC (a cut tail removes it).
    const anchored = trail.anchor[table]
    if (anchored) {
      const row = await db(table).where('id', anchored.id).first('mac')
      if (!row || row.mac !== anchored.mac) report({ table, id: anchored.id, problem: 'tail_missing' })
    }
  }
  return { intact: count === 0, checked, problems, problemCount: count }
}
