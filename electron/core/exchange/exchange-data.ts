// What each kind of package carries, table by table. County → city ('data'): 双公示 records, their repair /
// objection decisions, and progress on tasks the city issued (with the stamped scans). City → county: 'tasks'
// (a plan with its tasks, keyed by the city's ids) and 'receipt' (which package arrived). A module adds a table
// by adding an exporter / applier here; the file format does not change.
import type { Knex } from 'knex'
import { open, readFile, stat } from 'node:fs/promises'
import { ErrorCode } from '../../contract/errors'
import { ATTACHMENT_CONTEXT, attachmentPath, attachmentSm3, rememberAttachmentSm3 } from '../archives/attachments'
import { SEALED_FILE_HEADER } from '../security/sealed-file-stream'
import { AppError } from '../shared/app-error'
import { getCatalogItem, portableItem } from '../catalog/catalog'
import { openField, type FieldKeys } from '../security/field-crypto'
import { cryptoPool, OrderedPipeline, type CryptoPool } from './crypto-pool'
import { PART_ROWS, tableParts, type PayloadEntry } from './payload'

/** How far an export reached: ids of append-only tables, and the time for rows that change in place. */
export interface Watermark {
  records: number
  actions: number
  events: number
  at: number
}

export const ZERO_WATERMARK: Watermark = { records: 0, actions: 0, events: 0, at: 0 }
const BATCH = 1000

async function maxId(db: Knex, table: string): Promise<number> {
  return Number((await db(table).max({ m: 'id' }).first())?.m ?? 0)
}

export async function currentWatermark(db: Knex, now: number): Promise<Watermark> {
  return { records: await maxId(db, 'records'), actions: await maxId(db, 'record_actions'), events: await maxId(db, 'task_events'), at: now }
}

/** Rows of a query in id order, a batch at a time (memory stays flat whatever the table size). */
async function* byId<T>(query: () => Knex.QueryBuilder, idColumn: string, map: (rows: Array<Record<string, unknown>>) => Promise<T[]> | T[]): AsyncGenerator<T> {
  let last = 0
  for (;;) {
    const rows = (await query().where(idColumn, '>', last).orderBy(idColumn).limit(BATCH)) as Array<Record<string, unknown>>
    if (!rows.length) return
    for (const r of await map(rows)) yield r
    last = Number(rows[rows.length - 1]!.id)
  }
}

function recordRows(db: Knex, keys: FieldKeys, from: Watermark, to: Watermark) {
  return byId(
    () => db('records as r').leftJoin('org_units as u', 'u.id', 'r.supplier_unit_id').where('r.id', '<=', to.records).andWhere('r.id', '>', from.records)
      .select('r.id', 'r.uid', 'r.item_code', 'r.subject_name', 'r.subject_type', 'r.subject_code', 'r.doc_number', 'r.decision_date', 'r.reported_on', 'r.is_late', 'r.data', 'r.sealed',
        'r.dishonesty_level', 'r.repairable_from', 'r.disclosure_ends_on', 'r.repaired_on', 'r.revoked_on', 'r.created_at', 'u.name as supplier_unit'),
    'r.id',
    (rows) => rows.map((r) => {
      // Sealed fields (a natural person's ID number) travel in the clear inside the encrypted package: the city needs them.
      const sealed = r.sealed ? (JSON.parse(r.sealed as string) as Record<string, string>) : {}
      const opened = Object.fromEntries(Object.entries(sealed).map(([code, v]) => [code, openField(keys, v, `records.${code}`)]))
      return {
        uid: r.uid, itemCode: r.item_code, subjectName: r.subject_name, subjectType: r.subject_type, subjectCode: r.subject_code, docNumber: r.doc_number,
        decisionDate: r.decision_date, reportedOn: r.reported_on, late: Boolean(r.is_late), data: { ...(JSON.parse(r.data as string) as object), ...opened },
        supplierUnit: r.supplier_unit ?? null, dishonestyLevel: r.dishonesty_level, repairableFrom: r.repairable_from, disclosureEndsOn: r.disclosure_ends_on,
        repairedOn: r.repaired_on, revokedOn: r.revoked_on, createdAt: Number(r.created_at),
      }
    }),
  )
}

function actionRows(db: Knex, from: Watermark, to: Watermark) {
  return byId(
    () => db('record_actions as a').join('records as r', 'r.id', 'a.record_id').where('a.id', '<=', to.actions)
      .andWhere((q) => q.where('a.id', '>', from.actions).orWhere('a.decided_at', '>', from.at))
      .select('a.id', 'r.uid as record_uid', 'a.kind', 'a.status', 'a.reason', 'a.applicant', 'a.filed_at', 'a.decided_at', 'a.decision_comment'),
    'a.id',
    (rows) => rows.map((a) => ({ recordUid: a.record_uid, kind: a.kind, status: a.status, reason: a.reason, applicant: a.applicant, filedAt: Number(a.filed_at), decidedAt: a.decided_at ? Number(a.decided_at) : null, comment: a.decision_comment ?? null })),
  )
}

/** Progress on the city's tasks, each event with the digests of its scans. */
function progressRows(db: Knex, from: Watermark, to: Watermark) {
  return byId(
    () => db('task_events as e').join('tasks as t', 't.id', 'e.task_id').leftJoin('task_units as tu', 'tu.id', 'e.task_unit_id').leftJoin('org_units as u', 'u.id', 'tu.unit_id')
      .join('users as by', 'by.id', 'e.actor_id').whereNotNull('t.external_id').where('e.id', '<=', to.events).andWhere('e.id', '>', from.events)
      .select('e.id', 't.external_id', 'u.name as unit_name', 'tu.status as unit_status', 'e.kind', 'e.text', 'e.percent as event_percent', 'e.new_deadline', 'e.decision', 'e.status', 'e.at', 'by.display_name'),
    'e.id',
    async (rows) => {
      const scans = await db('task_event_attachments').whereIn('event_id', rows.map((r) => r.id as number)).select('event_id', 'digest', 'file_name')
      return rows.map((e) => ({
        taskExternalId: e.external_id, unitName: e.unit_name ?? null, unitStatus: e.unit_status ?? null, kind: e.kind, text: e.text ?? null, percent: e.event_percent ?? null,
        newDeadline: e.new_deadline ?? null, decision: e.decision ?? null, status: e.status, at: Number(e.at), by: e.display_name,
        scans: scans.filter((s) => s.event_id === e.id).map((s) => ({ fileName: s.file_name as string, storedAs: s.digest as string })),
      }))
    },
  )
}

export interface ExportSource {
  db: Knex
  keys: FieldKeys
  dataDir: string
}

/** The entries of a county → city data package between two watermarks, with counts filled in as rows go. */
/** Catalog items approved here since the last acknowledged package, with their data items. */
async function* catalogRows(db: Knex, from: Watermark, to: Watermark) {
  const ids = await db('catalog_items').where('status', 'approved').where('updated_at', '>', from.at).andWhere('updated_at', '<=', to.at).orderBy('id').pluck('id')
  for (const id of ids) {
    const item = await getCatalogItem(db, id as number)
    yield { version: item.version, ...portableItem(item) } as Record<string, unknown>
  }
}

export async function* dataEntries(src: ExportSource, from: Watermark, to: Watermark, counts: Record<string, number>): AsyncGenerator<PayloadEntry> {
  yield* tableParts('catalog_items', catalogRows(src.db, from, to), counts)
  yield* tableParts('records', recordRows(src.db, src.keys, from, to), counts)
  yield* tableParts('record_actions', actionRows(src.db, from, to), counts)
  // Scans go out as their rows are met (each before the part that lists it), streamed in pieces through a worker.
  const pool = cryptoPool()
  const scanSm3 = new Map<string, string>()
  const sentSm3 = new Set<string>()
  let lines: string[] = []
  let part = 0
  counts.task_progress = 0
  const flush = () => ({ name: `tables/task_progress/${String(++part).padStart(6, '0')}.ndjson`, data: Buffer.from(lines.join('')) })
  for await (const { scans, ...row } of progressRows(src.db, from, to)) {
    for (const { storedAs, fileName } of scans) {
      if (scanSm3.has(storedAs)) continue
      const path = attachmentPath(src.dataDir, storedAs)
      const known = await attachmentSm3(src.db, src.keys, storedAs)
      if (known) {
        scanSm3.set(storedAs, known)
        if (!sentSm3.has(known)) yield { name: `attachments/${known}`, size: (await stat(path)).size - SEALED_FILE_HEADER, sm3: known, pieces: sealedFilePieces(pool, src.keys.encKey, path, fileName) }
        sentSm3.add(known)
        continue
      }
      // Stored before scans kept their SM3: opened whole once, and the SM3 remembered for next time.
      const sealed = await readFile(path)
      const { bytes, sm3 } = await pool.run({ op: 'open-sealed-file', encKey: src.keys.encKey, context: ATTACHMENT_CONTEXT, data: sealed }, [sealed]).catch(scanFailed(fileName))
      await rememberAttachmentSm3(src.db, src.keys, storedAs, sm3!)
      scanSm3.set(storedAs, sm3!)
      if (!sentSm3.has(sm3!)) yield { name: `attachments/${sm3}`, data: bytes!, sm3 }
      sentSm3.add(sm3!)
    }
    lines.push(JSON.stringify({ ...row, attachments: scans.map((s) => ({ fileName: s.fileName, sm3: scanSm3.get(s.storedAs)! })) }) + '\n')
    counts.task_progress++
    if (lines.length === PART_ROWS) {
      yield flush()
      lines = []
    }
  }
  if (lines.length) yield flush()
}

const PIECE = 1 << 20

/** A scan that does not open stops the export, naming the file so the office can restore it from a backup. */
const scanFailed = (fileName: string) => (err: unknown): never => {
  if (err instanceof AppError && err.code === ErrorCode.FieldDecryptFailed) throw new AppError(ErrorCode.FieldDecryptFailed, `scan does not open: ${err.message}`, { reason: 'scan', fileName })
  throw err
}

/** A sealed scan's plaintext, a piece at a time, opened in one worker; fails at the end if its tag does not match. */
async function* sealedFilePieces(pool: CryptoPool, encKey: Uint8Array, path: string, fileName: string): AsyncGenerator<Buffer> {
  const f = await open(path, 'r')
  const { session, run } = pool.pinned()
  const pipeline = new OrderedPipeline<Buffer>(2)
  let finished = false
  try {
    const size = (await f.stat()).size
    const header = Buffer.alloc(SEALED_FILE_HEADER)
    if ((await f.read(header, 0, header.length, 0)).bytesRead !== header.length) throw new AppError(ErrorCode.FieldDecryptFailed, 'sealed file too short')
    await run({ op: 'file-begin', session, encKey, context: ATTACHMENT_CONTEXT, header, length: size - SEALED_FILE_HEADER })
    for (let at = SEALED_FILE_HEADER; at < size; at += PIECE) {
      const piece = Buffer.allocUnsafe(Math.min(PIECE, size - at))
      if ((await f.read(piece, 0, piece.length, at)).bytesRead !== piece.length) throw new AppError(ErrorCode.FieldDecryptFailed, 'sealed file changed while read')
      yield* await pipeline.push(async () => (await run({ op: 'file-piece', session, data: piece }, [piece])).bytes!)
    }
    yield* await pipeline.drain()
    await run({ op: 'file-end', session })
    finished = true
  } catch (err) {
    scanFailed(fileName)(err)
  } finally {
    if (!finished) {
      pipeline.abandon()
      void run({ op: 'file-drop', session }).catch(() => undefined)
    }
    await f.close()
  }
}

/** Counts for the export preview, without reading the rows. */
export async function previewCounts(db: Knex, from: Watermark, to: Watermark): Promise<Record<string, number>> {
  const n = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }).first())?.n ?? 0)
  return {
    catalog_items: await n(db('catalog_items').where('status', 'approved').where('updated_at', '>', from.at).andWhere('updated_at', '<=', to.at)),
    records: await n(db('records').where('id', '>', from.records).andWhere('id', '<=', to.records)),
    record_actions: await n(db('record_actions').where('id', '<=', to.actions).andWhere((q) => q.where('id', '>', from.actions).orWhere('decided_at', '>', from.at))),
    task_progress: await n(db('task_events as e').join('tasks as t', 't.id', 'e.task_id').whereNotNull('t.external_id').where('e.id', '>', from.events).andWhere('e.id', '<=', to.events)),
  }
}
