// 容灾备份: a whole data folder in one encrypted file, and back. A backup holds a consistent snapshot of the database
// (VACUUM INTO, never a copy of the live file), the field keys (unwrapped: the file is sealed with the passphrase),
// the audit key and anchor, and every stored scan. A restore verifies the whole file first, builds the new folder
// beside the current one, checks it, and only then swaps the two: the current data is never touched before that,
// and is kept (moved aside) after.
import { randomBytes } from 'node:crypto'
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { once } from 'node:events'
import { basename, dirname, join } from 'node:path'
import type { Knex } from 'knex'
import { extract as tarExtract, type Header } from 'tar-stream'
import { createDb } from '../../../db/connection'
import { migrations } from '../../../db/migrations'
import { ATTACHMENT_DIR } from '../attachments/attachment-store'
import { appendAudit } from '../audit/audit-log'
import { INCIDENT } from '../audit/audit-chain'
import { tarBytes, type TarEntry } from '../exchange/payload'
import { fieldKeyFingerprint, KEY_DIR, noProtector, type KeyProtector } from '../security/key-store'
import { BACKUP_DIR, DB_FILE } from '../shared/open-database'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../shared/private-files'
import { getSettings } from '../system/settings'
import { deriveBackupSecret, type BackupKey } from './backup-key'
import { recoverInterruptedRestore, restoreJournal } from './restore-journal'
import { openBackupFile, rejectBackup, writeBackupFile, type BackupHeader } from './backup-file'

export const BACKUP_EXTENSION = 'cdbak'
const FIELD_KEY_FILE = 'field-keys.json'
/** What a backup may contain; anything else in a (passphrase-holding) file is refused rather than written. */
const ALLOWED =
  /^(manifest\.json|database\.sqlite|keys\/(field-keys\.json|audit\.key|audit-anchor\.json)|attachments\/[0-9a-f]{2}\/[0-9a-f]{64})$/

export interface BackupManifest {
  createdAt: string
  counts: Record<string, number>
  attachments: number
  bytes: number
}

/** Rows per table (knex's own tables aside): what `db stats` prints, and what a restore must give back. */
export async function tableCounts(db: Knex): Promise<Record<string, number>> {
  const tables: string[] = await db('sqlite_master')
    .where('type', 'table')
    .whereNot('name', 'like', 'knex_%')
    .whereNot('name', 'like', 'sqlite_%')
    .orderBy('name')
    .pluck('name')
  const counts: Record<string, number> = {}
  for (const t of tables) counts[t] = Number((await db.raw(`SELECT count(*) AS n FROM "${t}"`))[0].n)
  return counts
}

function* filesUnder(root: string, prefix: string): Generator<{ name: string; path: string }> {
  if (!existsSync(root)) return
  for (const sub of readdirSync(root, { withFileTypes: true })) {
    if (!sub.isDirectory() || !/^[0-9a-f]{2}$/.test(sub.name)) continue
    for (const f of readdirSync(join(root, sub.name), { withFileTypes: true })) {
      if (f.isFile() && /^[0-9a-f]{64}$/.test(f.name)) yield { name: `${prefix}/${sub.name}/${f.name}`, path: join(root, sub.name, f.name) }
    }
  }
}

const fileEntry = (name: string, path: string): TarEntry => ({
  name,
  size: statSync(path).size,
  pieces: createReadStream(path, { highWaterMark: 1 << 20 }),
})
const bytesEntry = (name: string, data: Buffer): TarEntry => ({ name, size: data.length, pieces: [data] })

/** Snapshots left by a backup that was killed (a running one is never this old). */
function removeStaleSnapshots(dir: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!/^\.snapshot-[0-9a-f]{8}\.sqlite/.test(name)) continue
    const path = join(dir, name)
    if (now - statSync(path).mtimeMs > 3600_000) rmSync(path, { force: true })
  }
}

export interface CreateBackupOptions {
  db: Knex
  dataDir: string
  /** Unwraps the field key file when the desktop app protected it with the OS store. */
  protector: KeyProtector
  key: Pick<BackupKey, 'secret' | 'kdf'>
  to: string
  reason: BackupHeader['reason']
  app: string
  now: Date
  signal?: AbortSignal
  onProgress?: (plainBytes: number, totalBytes: number) => void
  writeLimit?: number
}

export interface BackupSummary {
  file: string
  size: number
  createdAt: string
  counts: Record<string, number>
  attachments: number
}

export async function createBackup(o: CreateBackupOptions): Promise<BackupSummary> {
  const scratch = join(o.dataDir, BACKUP_DIR)
  ensurePrivateDir(scratch)
  removeStaleSnapshots(scratch, o.now.getTime())
  const snapshot = join(scratch, `.snapshot-${randomBytes(4).toString('hex')}.sqlite`)
  try {
    // One consistent picture, read through the WAL: writes that commit meanwhile are in the next backup.
    await o.db.raw('VACUUM INTO ?', [snapshot])
    const copy = createDb(snapshot)
    let counts: Record<string, number>
    let schema: string
    try {
      counts = await tableCounts(copy)
      schema = (await copy('knex_migrations').orderBy('name', 'desc').first('name'))?.name ?? ''
    } finally {
      await copy.destroy()
    }
    const office = await getSettings(o.db)
    const fingerprint = await fieldKeyFingerprint(o.db)
    const keyDir = join(o.dataDir, KEY_DIR)
    // The field key goes in unwrapped (the OS store of this PC means nothing on the next one); the file is sealed anyway.
    const storedKey: { protection: 'os' | 'none'; secret: string } = JSON.parse(readFileSync(join(keyDir, FIELD_KEY_FILE), 'utf8'))
    const plainKey = (storedKey.protection === 'os' ? o.protector : noProtector).unprotect(Buffer.from(storedKey.secret, 'base64'))
    const fieldKey = Buffer.from(JSON.stringify({ ...storedKey, protection: 'none', secret: plainKey.toString('base64') }, null, 2))
    const scans = [...filesUnder(join(o.dataDir, ATTACHMENT_DIR), ATTACHMENT_DIR)]
    const totalBytes = statSync(snapshot).size + scans.reduce((n, f) => n + statSync(f.path).size, 0)
    const manifest: BackupManifest = { createdAt: o.now.toISOString(), counts, attachments: scans.length, bytes: totalBytes }
    async function* entries(): AsyncGenerator<TarEntry> {
      yield bytesEntry('manifest.json', Buffer.from(JSON.stringify(manifest, null, 1)))
      yield fileEntry('database.sqlite', snapshot)
      yield bytesEntry(`keys/${FIELD_KEY_FILE}`, fieldKey)
      for (const name of ['audit.key', 'audit-anchor.json'])
        if (existsSync(join(keyDir, name))) yield fileEntry(`keys/${name}`, join(keyDir, name))
      for (const f of scans) yield fileEntry(f.name, f.path)
    }
    const written = await writeBackupFile({
      path: o.to,
      header: {
        createdAt: manifest.createdAt,
        app: o.app,
        schema,
        installation: { orgName: office.orgName, regionCode: office.regionCode, fieldKeyFingerprint: fingerprint },
        reason: o.reason,
        kdf: o.key.kdf,
      },
      secret: o.key.secret,
      payload: tarBytes(entries()),
      signal: o.signal,
      onProgress: (bytes) => o.onProgress?.(bytes, totalBytes),
      writeLimit: o.writeLimit,
    })
    return { file: o.to, size: written.size, createdAt: manifest.createdAt, counts, attachments: scans.length }
  } finally {
    rmSync(snapshot, { force: true })
  }
}

/** The secret a backup's header asks for, from the passphrase typed now (or a key already derived). */
export function secretFrom(source: { passphrase: string } | { key: BackupKey }) {
  return async (header: BackupHeader): Promise<Buffer> =>
    'key' in source && source.key.kdf.salt === header.kdf.salt
      ? source.key.secret
      : deriveBackupSecret('passphrase' in source ? source.passphrase : '', header.kdf)
}

/** Checks a whole backup without writing anything: the passphrase, every chunk, and what it says it holds. */
/** A tar entry's bytes (tar-stream types them as unknown; they are Buffers). */
async function* buffers(source: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const piece of source) if (Buffer.isBuffer(piece)) yield piece
}

/**
 * Opens the backup (passphrase, every chunk) and walks its tar entries in order, each allowed name handed to `onFile`
 * as a stream; the manifest is read for the caller. Any other entry is refused.
 */
async function readBackup(
  file: string,
  secretFor: (h: BackupHeader) => Promise<Buffer>,
  onFile: (name: string, content: AsyncIterable<Buffer>) => Promise<void>,
  signal?: AbortSignal,
): Promise<{ header: BackupHeader; manifest: BackupManifest }> {
  let manifest: BackupManifest | null = null
  const extract = tarExtract()
  const reading = (async () => {
    for await (const entry of extract) {
      const { name, type }: Header = entry.header
      if (type !== 'file' || !ALLOWED.test(name)) throw rejectBackup('bad_content', { entry: name })
      const content = buffers(entry)
      if (name === 'manifest.json') {
        const parts: Buffer[] = []
        for await (const piece of content) parts.push(piece)
        manifest = JSON.parse(Buffer.concat(parts).toString('utf8'))
      } else await onFile(name, content)
    }
  })()
  reading.catch(() => undefined)
  const { header } = await openBackupFile(
    file,
    secretFor,
    async (plain) => {
      if (!extract.write(plain)) await Promise.race([once(extract, 'drain'), reading])
    },
    signal,
  )
  extract.end(undefined as never) // (the typings want an argument streamx does not need)
  await reading
  if (!manifest) throw rejectBackup('bad_content', { entry: 'manifest.json' })
  return { header, manifest }
}

/** Checks a whole backup without writing anything: the passphrase, every chunk, and what it says it holds. */
export function verifyBackup(file: string, passphrase: string, signal?: AbortSignal) {
  return readBackup(
    file,
    secretFrom({ passphrase }),
    async (_name, content) => {
      for await (const piece of content) void piece
    },
    signal,
  )
}

/** Decrypts a verified backup into `dir` (which must not exist), entry by entry. */
async function extractInto(file: string, secretFor: (h: BackupHeader) => Promise<Buffer>, dir: string, signal?: AbortSignal) {
  ensurePrivateDir(dir)
  return readBackup(
    file,
    secretFor,
    async (name, content) => {
      const target = name === 'database.sqlite' ? join(dir, DB_FILE) : join(dir, ...name.split('/'))
      ensurePrivateDir(dirname(target))
      const out = createWriteStream(target, { mode: PRIVATE_FILE_MODE, flags: 'wx' })
      for await (const piece of content) if (!out.write(piece)) await once(out, 'drain')
      out.end()
      await once(out, 'close')
    },
    signal,
  )
}

/** The staged folder must be a database this app can open, with the key it was sealed with, and every row it claims. */
async function checkStaged(dir: string, manifest: BackupManifest): Promise<void> {
  if (!existsSync(join(dir, DB_FILE))) throw rejectBackup('bad_content', { entry: 'database.sqlite' })
  const db = createDb(join(dir, DB_FILE))
  try {
    const [health] = await db.raw('PRAGMA quick_check')
    if (health?.quick_check !== 'ok') throw rejectBackup('bad_content', { entry: 'database.sqlite' })
    const known = new Set(Object.keys(migrations))
    const applied: string[] = await db('knex_migrations').pluck('name')
    const unknown = applied.filter((m) => !known.has(m))
    if (unknown.length) throw rejectBackup('newer_schema', { migration: unknown[0] })
    const counts = await tableCounts(db)
    if (JSON.stringify(counts) !== JSON.stringify(manifest.counts)) throw rejectBackup('bad_content', { entry: 'counts' })
  } finally {
    await db.destroy()
  }
}

export interface RestoreOptions {
  file: string
  dataDir: string
  passphrase: string
  now: Date
  signal?: AbortSignal
}

export interface RestoreSummary {
  createdAt: string
  counts: Record<string, number>
  attachments: number
  /** Where the data that was there before now is (null for an empty or new folder). */
  previous: string | null
}

/** A backup verified whole, decrypted and checked beside the data folder, waiting to be swapped in. */
export interface StagedRestore {
  staged: string
  file: string
  createdAt: string
  counts: Record<string, number>
  attachments: number
}

/**
 * Verifies the backup, extracts it beside `dataDir` and checks what came out. The current folder is not touched
 * (it may stay open meanwhile): a wrong passphrase or a damaged file costs nothing but the time.
 */
export async function stageRestore(o: { file: string; dataDir: string; passphrase: string; signal?: AbortSignal }): Promise<StagedRestore> {
  recoverInterruptedRestore(o.dataDir)
  const parent = dirname(o.dataDir)
  mkdirSync(parent, { recursive: true })
  const staged = join(parent, `.${basename(o.dataDir)}.restoring-${randomBytes(4).toString('hex')}`)
  try {
    const { manifest } = await extractInto(o.file, secretFrom({ passphrase: o.passphrase }), staged, o.signal)
    await checkStaged(staged, manifest)
    return { staged, file: o.file, createdAt: manifest.createdAt, counts: manifest.counts, attachments: manifest.attachments }
  } catch (err) {
    rmSync(staged, { recursive: true, force: true })
    throw err
  }
}

/**
 * Swaps a staged restore in; `dataDir` must be closed. The old folder is moved aside (kept), the staged one takes
 * its name; a journal lets a start after a kill between the two renames finish the swap.
 */
export function commitRestore(s: StagedRestore, dataDir: string, now: Date): RestoreSummary {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  const occupied = existsSync(dataDir) && readdirSync(dataDir).length > 0
  const previous = occupied ? `${dataDir}.before-restore-${stamp}` : null
  writeFileSync(restoreJournal(dataDir), JSON.stringify({ staged: s.staged }), { mode: PRIVATE_FILE_MODE })
  if (previous) renameSync(dataDir, previous)
  else if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true })
  renameSync(s.staged, dataDir)
  rmSync(restoreJournal(dataDir), { force: true })
  return { createdAt: s.createdAt, counts: s.counts, attachments: s.attachments, previous }
}

/** Stage, then swap: for a folder nobody has open (the command line, a new PC). */
export async function restoreBackup(o: RestoreOptions): Promise<RestoreSummary> {
  return commitRestore(await stageRestore(o), o.dataDir, o.now)
}

/** The incident the restored folder keeps: written at its first open, so it survives the restore it records. */
export async function recordRestore(db: Knex, summary: RestoreSummary, file: string, actor: string, now: number): Promise<void> {
  await appendAudit(db, {
    at: now,
    actorUserId: null,
    actorName: actor,
    procedure: 'system:restore',
    affectedIds: [
      `file:${basename(file)}`,
      `created:${summary.createdAt}`,
      `previous:${summary.previous ? basename(summary.previous) : 'none'}`,
    ],
    result: INCIDENT,
  })
}

/** Keeps the newest `keep` backups in the data folder's backups/ (the daily ones and those taken before a change). */
export function pruneBackups(dataDir: string, keep: number): string[] {
  const dir = join(dataDir, BACKUP_DIR)
  if (!existsSync(dir)) return []
  const ours = readdirSync(dir)
    .filter((n) => n.endsWith(`.${BACKUP_EXTENSION}`) && !n.startsWith('.'))
    .sort()
  const old = ours.slice(0, Math.max(0, ours.length - keep))
  for (const name of old) rmSync(join(dir, name), { force: true })
  return old
}
