// What each kind of package carries, table by table. County → city ('data'): approved catalog items, 双公示
// records, their repair / objection decisions, progress on tasks the city issued (with the stamped scans), and the
// civil-servant integrity archives (people, archive entries with their documents, grade history). City → county: 'tasks'
// (a plan with its tasks, keyed by the city's ids) and 'receipt' (which package arrived). A module adds a table
// by adding an exporter / applier here; the file format does not change.
import type { Knex } from 'knex'
import { open, readFile, stat } from 'node:fs/promises'
import { ErrorCode } from '../../contract/errors'
import {
  ATTACHMENT_CONTEXT,
  attachmentFileSm3,
  attachmentPath,
  attachmentSm3,
  rememberAttachmentSm3,
} from '../attachments/attachment-store'
import { AppError } from '../shared/app-error'
import { birthDateOf, personIdNumber } from '../archives/people'
import { getCatalogItem, portableItem } from '../catalog/catalog'
import { maskIdNumber, SEALED_FILE_HEAD, sealedFileHead, type FieldKeys, type SealedFileHead } from '../security/field-crypto'
import { EXPORT_PARTS, type ExportPart } from '../../contract/schemas/exchange'
import { openSensitiveValue } from '../catalog/records'
import { monthlyReport, previousMonth } from '../catalog/monthly-report'
import { beijingDate } from '../catalog/record-context'
import { SharedSlots } from './crypto-buffers'
import { cryptoPool, OrderedPipeline, type CryptoPool } from './crypto-pool'
import { lendPiece } from './record-stream'
import { interleave, PART_ROWS, RawJson, tableParts, type PayloadEntry } from './payload'
import { byId } from './by-id'
import { caseRows, commitmentRows } from './credit-rows'

/**
 * How far an export reached: ids of append-only tables, and times for rows that change in place — one per part, so
 * that a part left out of a package (not allowed for the peer) keeps its mark where it was and travels complete later.
 */
export interface Watermark {
  records: number
  actions: number
  events: number
  /** archive_entries and grade_history ids (absent from watermarks logged before archives travelled: 0). */
  entries: number
  grades: number
  /** catalog items changed up to this time */
  at: number
  /** repair / objection decisions up to this time */
  actionsAt: number
  /** people changed up to this time */
  peopleAt: number
  /** 联合奖惩 cases and 信用承诺 changed up to this time (absent before they travelled: 0) */
  casesAt: number
  commitmentsAt: number
  /** 更正 / 撤回 decided up to this time: the records they changed go again (absent before they travelled: 0) */
  changesAt: number
}

export const ZERO_WATERMARK: Watermark = {
  records: 0,
  actions: 0,
  events: 0,
  entries: 0,
  grades: 0,
  at: 0,
  actionsAt: 0,
  peopleAt: 0,
  casesAt: 0,
  commitmentsAt: 0,
  changesAt: 0,
}

/** A watermark as logged, filled out to the current shape (before per-part times, `at` served every part). */
export function parseWatermark(json: string): Watermark {
  const logged: Partial<Watermark> = JSON.parse(json)
  return { ...ZERO_WATERMARK, actionsAt: logged.at ?? 0, peopleAt: logged.at ?? 0, ...logged }
}

/** The marks each part moves. */
const PART_MARKS: Record<ExportPart, Array<keyof Watermark>> = {
  catalog: ['at'],
  records: ['records', 'actions', 'actionsAt', 'changesAt'],
  progress: ['events'],
  archives: ['entries', 'grades', 'peopleAt'],
  credit: ['casesAt', 'commitmentsAt'],
}

/** The `to` of a package carrying only `parts`: the other parts' marks stay at `from`. */
export function reachedBy(parts: readonly ExportPart[], from: Watermark, to: Watermark): Watermark {
  const reached = { ...to }
  for (const part of EXPORT_PARTS) if (!parts.includes(part)) for (const mark of PART_MARKS[part]) reached[mark] = from[mark]
  return reached
}
async function maxId(db: Knex, table: string): Promise<number> {
  return Number((await db(table).max({ m: 'id' }).first())?.m ?? 0)
}

export async function currentWatermark(db: Knex, now: number): Promise<Watermark> {
  return {
    records: await maxId(db, 'records'),
    actions: await maxId(db, 'record_actions'),
    events: await maxId(db, 'task_events'),
    entries: await maxId(db, 'archive_entries'),
    grades: await maxId(db, 'grade_history'),
    at: now,
    actionsAt: now,
    peopleAt: now,
    casesAt: now,
    commitmentsAt: now,
    changesAt: now,
  }
}

/** New records, and older ones corrected or withdrawn since (sent again whole, with their version): on `records as r`. */
function recordsToSend(w: Knex.QueryBuilder, from: Watermark, to: Watermark): Knex.QueryBuilder {
  return w
    .where((n) => n.where('r.id', '<=', to.records).andWhere('r.id', '>', from.records))
    .orWhere((c) => c.where('r.changed_at', '>', from.changesAt).andWhere('r.changed_at', '<=', to.changesAt))
}

/** Approved 更正 / 撤回 decided between the marks: the version chain. */
function changesToSend(db: Knex, from: Watermark, to: Watermark) {
  return db('record_changes as c')
    .where('c.status', 'approved')
    .where('c.decided_at', '>', from.changesAt)
    .andWhere('c.decided_at', '<=', to.changesAt)
}

function recordRows(db: Knex, keys: FieldKeys, from: Watermark, to: Watermark) {
  return byId(
    () =>
      db('records as r')
        .leftJoin('org_units as u', 'u.id', 'r.supplier_unit_id')
        .where((w) => recordsToSend(w, from, to))
        .select(
          'r.id',
          'r.uid',
          'r.version',
          'r.withdrawn_on',
          'r.withdrawal_doc',
          'r.item_code',
          'r.subject_name',
          'r.subject_type',
          'r.subject_code',
          'r.doc_number',
          'r.decision_date',
          'r.reported_on',
          'r.is_late',
          'r.data',
          'r.sealed',
          'r.dishonesty_level',
          'r.repairable_from',
          'r.disclosure_ends_on',
          'r.repaired_on',
          'r.revoked_on',
          'r.created_at',
          'u.name as supplier_unit',
        ),
    'r.id',
    (rows) =>
      rows.map((r) => {
        // Sealed fields (a natural person's ID number) travel in the clear inside the encrypted package: the city needs them.
        const sealed: Record<string, string> = r.sealed ? JSON.parse(String(r.sealed)) : {}
        const opened = Object.fromEntries(Object.entries(sealed).map(([code, v]) => [code, openSensitiveValue(keys, code, v)]))
        const row = {
          uid: r.uid,
          itemCode: r.item_code,
          subjectName: r.subject_name,
          subjectType: r.subject_type,
          subjectCode: r.subject_code,
          docNumber: r.doc_number,
          decisionDate: r.decision_date,
          reportedOn: r.reported_on,
          late: Boolean(r.is_late),
          supplierUnit: r.supplier_unit ?? null,
          dishonestyLevel: r.dishonesty_level,
          repairableFrom: r.repairable_from,
          disclosureEndsOn: r.disclosure_ends_on,
          repairedOn: r.repaired_on,
          revokedOn: r.revoked_on,
          createdAt: Number(r.created_at),
          version: Number(r.version ?? 1),
          withdrawnOn: r.withdrawn_on ?? null,
          withdrawalDoc: r.withdrawal_doc ?? null,
        }
        // `data` goes in as the stored JSON text, the opened values put where their masks are: no parse and
        // stringify of every record's fields (the largest cost of a records export).
        return new RawJson(`${JSON.stringify(row).slice(0, -1)},"data":${openedData(String(r.data), opened)}}`)
      }),
  )
}

/** A record's stored data JSON with each sealed value in place of its mask (parsed only where the mask is not found as written). */
function openedData(dataJson: string, opened: Record<string, string>): string {
  let out = dataJson
  for (const [code, value] of Object.entries(opened)) {
    const masked = `${JSON.stringify(code)}:${JSON.stringify(maskIdNumber(value))}`
    const at = out.indexOf(masked)
    if (at < 0) return JSON.stringify({ ...(JSON.parse(dataJson) as object), ...opened })
    out = `${out.slice(0, at)}${JSON.stringify(code)}:${JSON.stringify(value)}${out.slice(at + masked.length)}`
  }
  return out
}

function actionRows(db: Knex, from: Watermark, to: Watermark) {
  return byId(
    () =>
      db('record_actions as a')
        .join('records as r', 'r.id', 'a.record_id')
        .where('a.id', '<=', to.actions)
        .andWhere((q) => q.where('a.id', '>', from.actions).orWhere('a.decided_at', '>', from.actionsAt))
        .select(
          'a.id',
          'r.uid as record_uid',
          'a.kind',
          'a.status',
          'a.reason',
          'a.applicant',
          'a.filed_at',
          'a.decided_at',
          'a.decision_comment',
        ),
    'a.id',
    (rows) =>
      rows.map((a) => ({
        recordUid: a.record_uid,
        kind: a.kind,
        status: a.status,
        reason: a.reason,
        applicant: a.applicant,
        filedAt: Number(a.filed_at),
        decidedAt: a.decided_at ? Number(a.decided_at) : null,
        comment: a.decision_comment ?? null,
      })),
  )
}

/** Approved 更正 / 撤回 since the last acknowledged package: the version chain the city keeps (the new data is in `records`). */
function changeRows(db: Knex, from: Watermark, to: Watermark) {
  return byId(
    () =>
      changesToSend(db, from, to)
        .join('records as r', 'r.id', 'c.record_id')
        .select('c.id', 'r.uid as record_uid', 'c.kind', 'c.version', 'c.reason', 'c.document', 'c.filed_at', 'c.decided_at'),
    'c.id',
    (rows) =>
      rows.map((c) => ({
        recordUid: c.record_uid,
        kind: c.kind,
        version: Number(c.version),
        reason: c.reason,
        document: c.document ?? null,
        filedAt: Number(c.filed_at),
        decidedAt: Number(c.decided_at),
      })),
  )
}

/** The last complete month's 归集 report, one row per supplying unit (as the 月度通报 shows it), sent with every package. */
async function* monthlyReportRows(db: Knex, to: Watermark) {
  const report = await monthlyReport(db, previousMonth(beijingDate(to.at)))
  for (const u of report.units) {
    const { unitId: _unitId, ...row } = u
    yield { month: report.month, ...row }
  }
}

/** Progress on the city's tasks, each event with the digests of its scans. */
function progressRows(db: Knex, from: Watermark, to: Watermark) {
  return byId(
    () =>
      db('task_events as e')
        .join('tasks as t', 't.id', 'e.task_id')
        .leftJoin('task_units as tu', 'tu.id', 'e.task_unit_id')
        .leftJoin('org_units as u', 'u.id', 'tu.unit_id')
        // Steps entered from a unit's 反馈表 on the command line have no app account: they travel under its label.
        .leftJoin('users as by', 'by.id', 'e.actor_id')
        .whereNotNull('t.external_id')
        .where('e.id', '<=', to.events)
        .andWhere('e.id', '>', from.events)
        .select(
          'e.id',
          't.external_id',
          'u.name as unit_name',
          'tu.status as unit_status',
          'e.kind',
          'e.text',
          'e.percent as event_percent',
          'e.new_deadline',
          'e.decision',
          'e.status',
          'e.at',
          db.raw('coalesce(by.display_name, e.actor_label) as display_name'),
        ),
    'e.id',
    async (rows) => {
      const scans = await db('task_event_attachments')
        .whereIn(
          'event_id',
          rows.map((r) => Number(r.id)),
        )
        .select('event_id', 'digest', 'file_name')
      return rows.map((e) => ({
        taskExternalId: e.external_id,
        unitName: e.unit_name ?? null,
        unitStatus: e.unit_status ?? null,
        kind: e.kind,
        text: e.text ?? null,
        percent: e.event_percent ?? null,
        newDeadline: e.new_deadline ?? null,
        decision: e.decision ?? null,
        status: e.status,
        at: Number(e.at),
        by: e.display_name,
        scans: scans.filter((s) => s.event_id === e.id).map((s) => ({ fileName: s.file_name, storedAs: s.digest })),
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
  const ids = await db('catalog_items')
    .where('status', 'approved')
    .where('updated_at', '>', from.at)
    .andWhere('updated_at', '<=', to.at)
    .orderBy('id')
    .pluck('id')
  for (const id of ids) {
    const item = await getCatalogItem(db, id)
    const entry: Record<string, unknown> = { version: item.version, ...portableItem(item) }
    yield entry
  }
}

export async function* dataEntries(
  src: ExportSource,
  from: Watermark,
  to: Watermark,
  counts: Record<string, number>,
  parts: readonly ExportPart[],
): AsyncGenerator<PayloadEntry> {
  const scans = new ScanSender(src)
  const has = (part: ExportPart) => parts.includes(part)
  // The manifest lists the tables in this order, whichever part is written first.
  const tables: Array<[ExportPart, string]> = [
    ['catalog', 'catalog_items'],
    ['records', 'records'],
    ['records', 'record_actions'],
    ['records', 'record_changes'],
    ['records', 'monthly_report'],
    ['progress', 'task_progress'],
    ['archives', 'people'],
    ['archives', 'archive_entries'],
    ['archives', 'grade_history'],
    ['credit', 'sanction_cases'],
    ['credit', 'commitments'],
  ]
  for (const [part, table] of tables) if (has(part)) counts[table] = 0
  async function* rowTables(): AsyncGenerator<PayloadEntry> {
    if (has('catalog')) yield* tableParts('catalog_items', catalogRows(src.db, from, to), counts)
    if (has('records')) {
      yield* tableParts('records', recordRows(src.db, src.keys, from, to), counts)
      yield* tableParts('record_actions', actionRows(src.db, from, to), counts)
      yield* tableParts('record_changes', changeRows(src.db, from, to), counts)
      yield* tableParts('monthly_report', monthlyReportRows(src.db, to), counts)
    }
    if (has('archives')) {
      yield* tableParts('people', peopleRows(src.db, src.keys, from, to), counts)
      yield* tableParts('grade_history', gradeRows(src.db, from, to), counts)
    }
    if (has('credit')) yield* tableParts('sanction_cases', caseRows(src.db, from, to), counts)
  }
  async function* scanTables(): AsyncGenerator<PayloadEntry> {
    if (has('progress')) yield* scans.tableWithScans('task_progress', progressRows(src.db, from, to), counts)
    if (has('archives')) yield* scans.tableWithScans('archive_entries', entryRows(src.db, from, to), counts)
    if (has('credit')) yield* scans.tableWithScans('commitments', commitmentRows(src.db, src.keys, from, to), counts)
  }
  // Rows are read and serialised on this thread while the workers check and seal scans: the two go side by side
  // (each scan still comes before the part citing it).
  yield* interleave(rowTables(), scanTables())
}

/**
 * One person's whole archive for an 调动 to another county: the person (ID number in full), every entry with its
 * scans, the grade history, and where it goes (`transfer_meta`).
 */
export async function* archiveTransferEntries(
  src: ExportSource,
  personId: number,
  meta: { toUnit: string; destination: string },
  counts: Record<string, number>,
): AsyncGenerator<PayloadEntry> {
  const all = { ...(await currentWatermark(src.db, Number.MAX_SAFE_INTEGER)) }
  const scans = new ScanSender(src)
  yield* tableParts(
    'transfer_meta',
    (async function* () {
      yield meta
    })(),
    counts,
  )
  yield* tableParts('people', peopleRows(src.db, src.keys, ZERO_WATERMARK, all, personId), counts)
  yield* scans.tableWithScans('archive_entries', entryRows(src.db, ZERO_WATERMARK, all, personId), counts)
  yield* tableParts('grade_history', gradeRows(src.db, ZERO_WATERMARK, all, personId), counts)
}

/** People whose archive changed since the last acknowledged package (their ID number opened for the city). */
function peopleRows(db: Knex, keys: FieldKeys, from: Watermark, to: Watermark, personId?: number) {
  return byId(
    () =>
      db('people as p')
        .join('org_units as u', 'u.id', 'p.unit_id')
        .modify((q) => (personId ? q.where('p.id', personId) : q))
        .where('p.updated_at', '>', from.peopleAt)
        .andWhere('p.updated_at', '<=', to.peopleAt)
        .select(
          'p.id',
          'p.uid',
          'p.name',
          'p.id_sealed',
          'p.sex',
          'u.name as unit_name',
          'u.credit_code as unit_credit_code',
          'p.post',
          'p.rank',
          'p.political_status',
          'p.entry_date',
          'p.status',
          'p.status_date',
          'p.grade',
          'p.grade_source',
          'p.updated_at',
        ),
    'p.id',
    (rows) =>
      rows.map((p) => {
        const idNumber = personIdNumber(keys, String(p.id_sealed))
        return {
          uid: p.uid,
          name: p.name,
          idNumber,
          sex: p.sex,
          birthDate: birthDateOf(idNumber),
          unitName: p.unit_name,
          unitCreditCode: p.unit_credit_code ?? null,
          post: p.post ?? null,
          rank: p.rank ?? null,
          politicalStatus: p.political_status ?? null,
          entryDate: p.entry_date,
          status: p.status,
          statusDate: p.status_date ?? null,
          grade: p.grade,
          gradeSource: p.grade_source,
          updatedAt: Number(p.updated_at),
        }
      }),
  )
}

/** Archive entries (append-only) with the documents filed with them. */
function entryRows(db: Knex, from: Watermark, to: Watermark, personId?: number) {
  return byId(
    () =>
      db('archive_entries as e')
        .join('people as p', 'p.id', 'e.person_id')
        .modify((q) => (personId ? q.where('p.id', personId) : q))
        .where('e.id', '>', from.entries)
        .andWhere('e.id', '<=', to.entries)
        .select(
          'e.id',
          'p.uid as person_uid',
          'e.kind',
          'e.year',
          'e.result',
          'e.title',
          'e.doc_number',
          'e.doc_date',
          'e.issuer',
          'e.details',
          'e.effect_until',
          'e.created_at',
        ),
    'e.id',
    async (rows) => {
      const files = await db('entry_attachments')
        .whereIn(
          'entry_id',
          rows.map((r) => Number(r.id)),
        )
        .orderBy(['entry_id', 'file_name'])
        .select('entry_id', 'digest', 'file_name')
      return rows.map((e) => ({
        personUid: e.person_uid,
        kind: e.kind,
        year: e.year ?? null,
        result: e.result ?? null,
        title: e.title,
        docNumber: e.doc_number ?? null,
        docDate: e.doc_date,
        issuer: e.issuer,
        details: e.details ?? null,
        effectUntil: e.effect_until ?? null,
        createdAt: Number(e.created_at),
        scans: files.filter((f) => f.entry_id === e.id).map((f) => ({ fileName: f.file_name, storedAs: f.digest })),
      }))
    },
  )
}

/** Grade decisions (append-only): by the rules or overridden, with their reasons. */
function gradeRows(db: Knex, from: Watermark, to: Watermark, personId?: number) {
  return byId(
    () =>
      db('grade_history as g')
        .join('people as p', 'p.id', 'g.person_id')
        .modify((q) => (personId ? q.where('p.id', personId) : q))
        .where('g.id', '>', from.grades)
        .andWhere('g.id', '<=', to.grades)
        .select('g.id', 'p.uid as person_uid', 'g.grade', 'g.source', 'g.reasons', 'g.at'),
    'g.id',
    (rows) =>
      rows.map((g) => ({
        personUid: g.person_uid,
        grade: g.grade,
        source: g.source,
        reasons: JSON.parse(String(g.reasons)) as unknown,
        at: Number(g.at),
      })),
  )
}

type RowWithScans = Record<string, unknown> & { scans: Array<{ fileName: string; storedAs: string }> }

/**
 * Rows that cite stamped scans. Each scan goes out once per package, as its first citing row is met and before the
 * part that lists it, streamed in pieces through a worker; rows cite scans as `attachments: [{fileName, sm3}]`.
 */
class ScanSender {
  private readonly pool = cryptoPool()
  // Scans go out one after the other (the tar stream reads one entry's pieces at a time): they share these.
  private readonly pieces = new SharedSlots(PIECES_AHEAD + 1, PIECE)
  private readonly scanSm3 = new Map<string, string>()
  private readonly sentSm3 = new Set<string>()

  constructor(private readonly src: ExportSource) {}

  async *tableWithScans(table: string, rows: AsyncIterable<RowWithScans>, counts: Record<string, number>): AsyncGenerator<PayloadEntry> {
    let lines: string[] = []
    let part = 0
    counts[table] = 0
    const flush = () => ({ name: `tables/${table}/${String(++part).padStart(6, '0')}.ndjson`, data: Buffer.from(lines.join('')) })
    for await (const { scans, ...row } of rows) {
      for (const scan of scans) yield* this.send(scan)
      lines.push(
        JSON.stringify({ ...row, attachments: scans.map((s) => ({ fileName: s.fileName, sm3: this.scanSm3.get(s.storedAs)! })) }) + '\n',
      )
      counts[table]!++
      if (lines.length === PART_ROWS) {
        yield flush()
        lines = []
      }
    }
    if (lines.length) yield flush()
  }

  private async *send({ storedAs, fileName }: { storedAs: string; fileName: string }): AsyncGenerator<PayloadEntry> {
    if (this.scanSm3.has(storedAs)) return
    const { db, keys, dataDir } = this.src
    const path = attachmentPath(dataDir, storedAs)
    let sm3 = await attachmentSm3(db, keys, storedAs)
    if (sm3) {
      this.scanSm3.set(storedAs, sm3)
      if (!this.sentSm3.has(sm3))
        yield await scanEntry(this.pool, this.pieces, keys, path, sm3, fileName, await attachmentFileSm3(db, storedAs))
    } else {
      // Stored before scans kept their SM3: opened whole once, and the SM3 remembered for next time.
      const sealed = await readFile(path)
      const opened = await this.pool
        .run({ op: 'open-sealed-file', encKey: keys.encKey, context: ATTACHMENT_CONTEXT, data: sealed }, [sealed])
        .catch(scanFailed(fileName))
      sm3 = opened.sm3!
      await rememberAttachmentSm3(db, keys, storedAs, sm3)
      this.scanSm3.set(storedAs, sm3)
      if (!this.sentSm3.has(sm3)) yield { name: `attachments/${sm3}`, data: opened.bytes!, sm3 }
    }
    this.sentSm3.add(sm3)
  }
}

const PIECE = 1 << 20
/** Pieces of a scan checked at once; their slots are one more (the piece being copied into the body as the next is read). */
const PIECES_AHEAD = 4

/** A scan that does not open stops the export, naming the file so the office can restore it from a backup. */
const scanFailed =
  (fileName: string) =>
  (err: unknown): never => {
    if (err instanceof AppError && err.code === ErrorCode.FieldDecryptFailed)
      throw new AppError(ErrorCode.FieldDecryptFailed, `scan does not open: ${err.message}`, { reason: 'scan', fileName })
    throw err
  }

/**
 * A stored scan as a package entry. Sealed under its own key (format 2): its portable part goes as it is, its key in
 * the entry's coding, and its tag is checked on the way (a damaged file stops the export). Sealed under the field
 * key (format 1, scans stored before): opened and sealed again with the package.
 */
async function scanEntry(
  pool: CryptoPool,
  slots: SharedSlots,
  keys: FieldKeys,
  path: string,
  sm3: string,
  fileName: string,
  fileSm3: string | null,
): Promise<PayloadEntry> {
  const { size } = await stat(path)
  const f = await open(path, 'r')
  const headBytes = Buffer.alloc(Math.min(size, SEALED_FILE_HEAD))
  try {
    await f.read(headBytes, 0, headBytes.length, 0)
  } finally {
    await f.close()
  }
  let head: SealedFileHead
  try {
    head = sealedFileHead(keys, headBytes, ATTACHMENT_CONTEXT)
  } catch (err) {
    return scanFailed(fileName)(err)
  }
  const name = `attachments/${sm3}`
  const plainSize = size - head.bodyStart
  if (head.portableStart === null)
    return { name, size: plainSize, sm3, pieces: scanPieces(pool, slots, head, path, fileName, { open: true }) }
  return {
    name,
    size: plainSize,
    sm3,
    sealed: { key: head.key, stored: size - head.portableStart },
    // Checked against the SM3 it was written with where that is kept (three times cheaper than its GCM tag).
    pieces: scanPieces(pool, slots, head, path, fileName, fileSm3 ? { fileSm3, headBytes } : { open: false }),
  }
}

/**
 * A sealed scan's body a piece at a time, checked in one worker as the pieces pass (the end fails if it does not
 * match): open — its tag, and the plaintext comes out; otherwise its tag, or its file's SM3 where that is kept, and
 * the portable part comes out as it is (iv ‖ tag, then the ciphertext).
 */
async function* scanPieces(
  pool: CryptoPool,
  slots: SharedSlots,
  head: SealedFileHead,
  path: string,
  fileName: string,
  mode: { open: boolean } | { fileSm3: string; headBytes: Buffer },
): AsyncGenerator<Buffer> {
  const f = await open(path, 'r')
  const { session, run } = pool.pinned()
  const pipeline = new OrderedPipeline<Buffer>(PIECES_AHEAD)
  const decrypt = 'open' in mode && mode.open
  let finished = false
  try {
    const size = (await f.stat()).size
    const length = size - head.bodyStart
    if ('fileSm3' in mode) await run({ op: 'file-digest-begin', session, expected: mode.fileSm3, head: mode.headBytes })
    else await run({ op: 'file-begin', session, key: head.key, iv: head.iv, tag: head.tag, context: ATTACHMENT_CONTEXT, length, decrypt })
    if (!decrypt) yield Buffer.concat([head.iv, head.tag])
    for (let at = head.bodyStart; at < size; at += PIECE) {
      const length = Math.min(PIECE, size - at)
      // Only checked, a piece goes out as it was read: read into a slot, checked where it lies by the worker, and
      // lent to the package body, which gives the slot back once it has copied it. Opened, it moves to the worker
      // and its plaintext comes back.
      const slot = decrypt ? null : await slots.take()
      const piece = slot ? slot.subarray(0, length) : Buffer.allocUnsafe(length)
      if ((await f.read(piece, 0, length, at)).bytesRead !== length)
        throw new AppError(ErrorCode.FieldDecryptFailed, 'sealed file changed while read')
      yield* await pipeline.push(async () => {
        const back = (await run({ op: 'file-piece', session, data: piece }, slot ? [] : [piece])).bytes!
        return slot ? lendPiece(back, () => slots.give(slot)) : back
      })
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

/** Counts for the export preview, without reading the rows: of the parts allowed, and of the rows carrying personal data. */
export async function previewCounts(
  db: Knex,
  from: Watermark,
  to: Watermark,
  parts: readonly ExportPart[],
): Promise<{ counts: Record<string, number>; personal: Record<string, number> }> {
  const n = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }).first())?.n ?? 0)
  const counts: Record<string, number> = {}
  const personal: Record<string, number> = {}
  if (parts.includes('catalog'))
    counts.catalog_items = await n(
      db('catalog_items').where('status', 'approved').where('updated_at', '>', from.at).andWhere('updated_at', '<=', to.at),
    )
  if (parts.includes('records')) {
    const records = () => db('records as r').where((w) => recordsToSend(w, from, to))
    counts.records = await n(records())
    counts.record_changes = await n(changesToSend(db, from, to))
    counts.record_actions = await n(
      db('record_actions')
        .where('id', '<=', to.actions)
        .andWhere((q) => q.where('id', '>', from.actions).orWhere('decided_at', '>', from.actionsAt)),
    )
    // A sealed value is a personal identifier (a natural person's 证件号码, a 法定代表人's): it leaves in full.
    personal.records = await n(records().whereNotNull('r.sealed'))
  }
  if (parts.includes('progress'))
    counts.task_progress = await n(
      db('task_events as e')
        .join('tasks as t', 't.id', 'e.task_id')
        .whereNotNull('t.external_id')
        .where('e.id', '>', from.events)
        .andWhere('e.id', '<=', to.events),
    )
  if (parts.includes('archives')) {
    counts.people = personal.people = await n(
      db('people').where('updated_at', '>', from.peopleAt).andWhere('updated_at', '<=', to.peopleAt),
    )
    counts.archive_entries = personal.archive_entries = await n(
      db('archive_entries').where('id', '>', from.entries).andWhere('id', '<=', to.entries),
    )
    counts.grade_history = personal.grade_history = await n(
      db('grade_history').where('id', '>', from.grades).andWhere('id', '<=', to.grades),
    )
  }
  if (parts.includes('credit')) {
    counts.sanction_cases = await n(db('sanction_cases').where('updated_at', '>', from.casesAt).andWhere('updated_at', '<=', to.casesAt))
    const commitments = () => db('commitments').where('updated_at', '>', from.commitmentsAt).andWhere('updated_at', '<=', to.commitmentsAt)
    counts.commitments = await n(commitments())
    personal.commitments = await n(commitments().whereNotNull('subject_id_sealed'))
  }
  for (const [table, count] of Object.entries(personal)) if (!count) delete personal[table]
  return { counts, personal }
}
