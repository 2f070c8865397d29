// Export and import of transfer packages against the database: sequence numbers, incremental watermarks, replay and
// gap checks, receipts, issued tasks. Everything is verified before anything is applied, and applied in one
// transaction with the log row, so a package is either wholly in or not at all, and twice is the same as once.
import { basename } from 'node:path'
import type { Knex } from 'knex'
import type { FieldKeys } from '../security/field-crypto'
import type { Clock } from '../shared/clock'
import { receiveItem } from '../catalog/catalog'
import { savePlan, type ReviewedTask } from '../supervision/plan-store'
import { matchUnits } from '../supervision/unit-matching'
import { getSettings } from '../system/settings'
import { openPackage, packageDigest, readStructure, reject, writePackage, type PackageHeader, type PackageKind } from './envelope'
import { ZERO_WATERMARK, currentWatermark, dataEntries, parseWatermark, previewCounts, reachedBy, type Watermark } from './exchange-data'
import { EXPORT_PARTS, type ExportPart } from '../../contract/schemas/exchange'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { currentOwnKey, ownPrivateKeys, recipientPeer, senderKeys } from './keyring'
import { payloadStream } from './payload'
import type { CollectedPayload } from './payload-collect'
import { PayloadInWorker } from '../untrusted/payload-in-worker'
import { suiteOf } from './suites'
import { applyArchiveTransfer } from '../archives/archive-transfer'
import { applyListPackage } from '../credit/list-package'
import { beijingDate } from '../catalog/record-context'

export interface ExchangeContext {
  db: Knex
  keys: FieldKeys
  dataDir: string
  clock: Clock
}

async function lastAcknowledged(db: Knex, peerFingerprint: string): Promise<Watermark> {
  const row = await db('exchange_packages')
    .where({ direction: 'out', kind: 'data', peer_fingerprint: peerFingerprint })
    .whereNotNull('acknowledged_at')
    .orderBy('id', 'desc')
    .first('watermark')
  return row?.watermark ? parseWatermark(row.watermark) : ZERO_WATERMARK
}

/** The peer's allowed parts, plus any the user added for this one export (the command line's --include). */
function partsFor(peer: { parts: ExportPart[] }, include: readonly ExportPart[] = []): ExportPart[] {
  return EXPORT_PARTS.filter((p) => peer.parts.includes(p) || include.includes(p))
}

/** What an export will carry: from the peer's last acknowledged package (or the start) up to now, in the allowed parts. */
export interface ExportPlan {
  peer: Awaited<ReturnType<typeof recipientPeer>>
  from: Watermark
  to: Watermark
  parts: ExportPart[]
  counts: Record<string, number>
  personal: Record<string, number>
}

export async function planExport(
  db: Knex,
  now: number,
  input: { full: boolean; peerId?: number | null; include?: readonly ExportPart[] },
): Promise<ExportPlan> {
  const peer = await recipientPeer(db, input.peerId)
  const from = input.full ? ZERO_WATERMARK : await lastAcknowledged(db, peer.fingerprint)
  const parts = partsFor(peer, input.include)
  const to = reachedBy(parts, from, await currentWatermark(db, now))
  return { peer, from, to, parts, ...(await previewCounts(db, from, to, parts)) }
}

/** The sequence number the next data package to this peer takes (abandoned numbers stay used). */
export async function nextSequence(db: Knex, peerFingerprint: string): Promise<number> {
  const taken = await db('exchange_packages')
    .where({ direction: 'out', kind: 'data', peer_fingerprint: peerFingerprint })
    .max({ s: 'sequence' })
    .first()
  return Number(taken?.s ?? 0) + 1
}

export async function exportPreview(
  ctx: ExchangeContext,
  input: { full: boolean; peerId?: number | null; include?: readonly ExportPart[] },
) {
  const plan = await planExport(ctx.db, ctx.clock.now(), input)
  const { peer } = plan
  const last = await ctx
    .db('exchange_packages')
    .where({ direction: 'out', kind: 'data', peer_fingerprint: peer.fingerprint, state: 'done' })
    .orderBy('id', 'desc')
    .first('sequence', 'acknowledged_at')
  return {
    peer: { id: peer.id, name: peer.name, suite: peer.suite },
    parts: plan.parts,
    counts: plan.counts,
    personal: plan.personal,
    since: plan.from.at || null,
    nextSequence: await nextSequence(ctx.db, peer.fingerprint),
    lastUnacknowledged: last && !last.acknowledged_at ? Number(last.sequence) : null,
  }
}

export interface ExportOptions {
  path: string
  full: boolean
  peerId?: number | null
  userId: number | null
  onProgress?: (plainBytes: number) => void
  signal?: AbortSignal
  writeLimit?: number
  /** Filled with rows per table as they are written (for a progress bar). */
  counts?: Record<string, number>
  /** Parts beyond the peer's setting, for this export only. */
  include?: readonly ExportPart[]
  /** The user saw the personal data this package carries (preview) and chose to send it. Without it such an export is refused. */
  confirmPersonal?: boolean
  /** The plan the user was shown: the export carries exactly that (rows added since wait for the next package). */
  plan?: ExportPlan
}

/** Reservations this process is writing; any other 'writing' row was left by a process that died. */
const writingHere = new Set<number>()

/** Marks reservations of dead exports as abandoned (their number stays used: the city may see a gap, never a clash). */
async function abandonDeadReservations(db: Knex): Promise<void> {
  await db('exchange_packages')
    .where('state', 'writing')
    .whereNotIn('id', [...writingHere])
    .update({ state: 'abandoned' })
}

/** The next sequence number for this peer, taken in one transaction with its log row: two exports never share one. */
async function reserveSequence(
  db: Knex,
  peer: { fingerprint: string; name: string },
  o: ExportOptions,
  now: number,
): Promise<{ id: number; sequence: number }> {
  return db.transaction(async (trx) => {
    const sequence = await nextSequence(trx, peer.fingerprint)
    const [id] = await trx('exchange_packages').insert({
      direction: 'out',
      peer_fingerprint: peer.fingerprint,
      peer_name: peer.name,
      kind: 'data',
      sequence,
      digest: '',
      file_name: basename(o.path),
      size: 0,
      full: o.full,
      counts: '{}',
      state: 'writing',
      created_by: o.userId,
      created_at: now,
    })
    writingHere.add(id!)
    return { id: id!, sequence }
  })
}

export async function exportPackage(ctx: ExchangeContext, o: ExportOptions) {
  const { db } = ctx
  const now = ctx.clock.now()
  const { peer, from, to, parts, personal } = o.plan ?? (await planExport(db, now, o))
  const own = await currentOwnKey(db, ctx.keys, ctx.clock, peer.suite)
  const office = await getSettings(db)
  if (Object.keys(personal).length && !o.confirmPersonal)
    throw new AppError(ErrorCode.InvalidState, 'personal data not confirmed', { reason: 'personal_unconfirmed', personal })
  await abandonDeadReservations(db)
  const { id, sequence } = await reserveSequence(db, peer, o, now)
  const counts: Record<string, number> = o.counts ?? {}
  const manifest = { kind: 'data', counts, attachments: 0, full: o.full, from, to }
  try {
    const written = await writePackage({
      path: o.path,
      suite: suiteOf(peer.suite)!,
      kind: 'data',
      sequence,
      createdAt: new Date(now).toISOString(),
      sender: { orgName: office.orgName, regionCode: office.regionCode, uscc: office.orgCreditCode },
      senderPrivatePem: own.privatePem,
      recipientPublicPem: peer.publicPem,
      payload: payloadStream(dataEntries(ctx, from, to, counts, parts), manifest),
      onProgress: o.onProgress,
      signal: o.signal,
      writeLimit: o.writeLimit,
      // Logged before the file takes its name: a package that verifies under its name was always logged.
      beforeRename: async (w) => {
        await db('exchange_packages')
          .where({ id, state: 'writing' })
          .update({ state: 'done', digest: w.digest, size: w.size, counts: JSON.stringify(counts), watermark: JSON.stringify(to) })
      },
    })
    return {
      id,
      sequence,
      digest: written.digest,
      counts,
      size: written.size,
      fileName: basename(o.path),
      peerName: peer.name,
      parts,
      personal,
    }
  } catch (err) {
    // Nothing is under the package's name (a failed rename removed the file): the number is free again.
    await db('exchange_packages').where('id', id).del()
    throw err
  } finally {
    writingHere.delete(id)
  }
}

export interface ImportResult {
  alreadyImported: boolean
  kind: PackageKind
  sequence: number
  senderName: string
  digest: string
  counts: Record<string, number>
  warnings: Array<{ reason: string; missing?: number }>
  changes: Record<string, number>
}

const IMPORTABLE: PackageKind[] = ['tasks', 'receipt', 'catalog', 'lists', 'archive']
/** The most an imported package's entries may add up to (its tables and files are held until applied). */
const MAX_IMPORT_BYTES = 256 * 1024 * 1024

/** Reads a package's entries after full verification; the check runs before a byte is decrypted. */
async function readPackage(
  ctx: ExchangeContext,
  path: string,
  check: (header: PackageHeader, digest: string) => Promise<'skip' | void>,
  signal?: AbortSignal,
  maxBytes = MAX_IMPORT_BYTES,
) {
  const ownKeys = await ownPrivateKeys(ctx.db, ctx.keys)
  const senders = await senderKeys(ctx.db)
  const structure = await readStructure(path)
  const digest = packageDigest(structure)
  // The payload is parsed in a worker (tar, NDJSON, SM3 of each entry), capped at maxBytes: whatever goes wrong
  // inside it (an oversized entry, a line that is not JSON, the cap) is one refusal, bad_payload.
  const parser = new PayloadInWorker(maxBytes)
  const feed = (plain: Buffer) => parser.write(plain).catch(() => Promise.reject(reject('bad_payload')))
  let skipped = false
  let collected: CollectedPayload
  let opened: Awaited<ReturnType<typeof openPackage>>
  try {
    opened = await openPackage(path, { ownKeys, senders }, feed, signal, async (header) => {
      if ((await check(header, digest)) === 'skip') {
        skipped = true
        return 'skip'
      }
    })
    if (skipped) return { header: opened.header, digest, skipped: true as const }
    collected = await parser.end().catch(() => Promise.reject(reject('bad_payload')))
  } finally {
    await parser.stop()
  }
  const { tables, manifest, seen } = collected
  const size = structure.size
  const m = manifest
  // The manifest lists every entry before it, with its size and SM3: the payload must match it exactly.
  const listed = seen.filter((e) => e.name !== 'manifest.json')
  if (!m || JSON.stringify(m.entries) !== JSON.stringify(listed)) throw reject('bad_payload')
  for (const [table, n] of Object.entries(m.counts)) if ((tables[table]?.length ?? 0) !== n) throw reject('bad_payload')
  return {
    header: opened.header,
    digest,
    size,
    skipped: false as const,
    tables,
    files: collected.files,
    manifest: m,
    senderName: senders.get(opened.header.sender.keyFingerprint)!.name,
  }
}

export async function importPackage(
  ctx: ExchangeContext,
  o: {
    path: string
    userId: number | null
    signal?: AbortSignal
    maxBytes?: number
    /** Issued tasks naming unknown units create them (the command line's --create-units) instead of waiting for review. */
    createUnits?: boolean
  },
): Promise<ImportResult> {
  const { db } = ctx
  const warnings: ImportResult['warnings'] = []
  const read = await readPackage(
    ctx,
    o.path,
    async (header, digest) => {
      if (await db('exchange_packages').where({ direction: 'in', digest }).first('id')) return 'skip'
      if (!IMPORTABLE.includes(header.kind)) throw reject('wrong_kind', { kind: header.kind })
      if (header.kind === 'receipt') return
      const last = Number(
        (
          await db('exchange_packages')
            .where({ direction: 'in', peer_fingerprint: header.sender.keyFingerprint, kind: header.kind })
            .max({ s: 'sequence' })
            .first()
        )?.s ?? 0,
      )
      if (header.sequence <= last) throw reject('replay', { sequence: header.sequence, last })
      if (header.sequence > last + 1) warnings.push({ reason: 'gap', missing: header.sequence - last - 1 })
    },
    o.signal,
    o.maxBytes,
  )
  const base = { kind: read.header.kind, sequence: read.header.sequence, digest: read.digest, warnings }
  if (read.skipped) return { ...base, alreadyImported: true, senderName: read.header.sender.orgName, counts: {}, changes: {} }

  return db.transaction(async (trx) => {
    const now = ctx.clock.now()
    const [inId] = await trx('exchange_packages').insert({
      direction: 'in',
      peer_fingerprint: read.header.sender.keyFingerprint,
      peer_name: read.senderName,
      kind: read.header.kind,
      sequence: read.header.sequence,
      digest: read.digest,
      file_name: basename(o.path),
      size: read.size,
      counts: JSON.stringify(read.manifest.counts),
      warnings: warnings.length ? JSON.stringify(warnings) : null,
      created_by: o.userId,
      created_at: now,
    })
    const changes =
      read.header.kind === 'receipt'
        ? await applyReceipts(trx, read.tables.receipts ?? [], inId!, now)
        : read.header.kind === 'catalog'
          ? await applyCatalog(trx, ctx.clock, read.tables.catalog_items ?? [])
          : read.header.kind === 'lists'
            ? await applyListPackage(trx, ctx.keys, read.tables, inId!, now, beijingDate(now))
            : read.header.kind === 'archive'
              ? await applyArchiveTransfer(trx, ctx, read.tables, read.files, o.userId, now)
              : await applyTasks(trx, ctx.clock, read.tables, o.userId, read.senderName, !!o.createUnits)
    return { ...base, alreadyImported: false, senderName: read.senderName, counts: read.manifest.counts, changes }
  })
}

async function applyReceipts(trx: Knex.Transaction, rows: Array<Record<string, unknown>>, receiptId: number, now: number) {
  let acknowledged = 0
  let records = 0
  let rejected = 0
  for (const r of rows) {
    const out = await trx('exchange_packages')
      .where({ direction: 'out', digest: String(r.packageDigest) })
      .first('id', 'acknowledged_at', 'watermark')
    if (!out) throw reject('receipt_unknown', { sequence: r.sequence })
    if (out.acknowledged_at) continue
    await trx('exchange_packages').where('id', out.id).update({ acknowledged_by: receiptId, acknowledged_at: now })
    const to = parseWatermark(out.watermark ?? '')
    // A record corrected after this package left is not acknowledged by it: its new version is still to go.
    records += await trx('records')
      .whereNull('acknowledged_in')
      .where('id', '<=', to.records)
      .where((w) => w.whereNull('changed_at').orWhere('changed_at', '<=', to.changesAt))
      .update({ acknowledged_in: out.id })
    acknowledged++
    rejected += await applyRejections(trx, receiptRejections(r.rejections), receiptId, now)
  }
  return { packagesAcknowledged: acknowledged, recordsAcknowledged: records - rejected, recordsRejected: rejected }
}

export interface RecordRejection {
  recordUid: string
  code: string
  reason: string
}

/** The `rejections` of a receipt row, each checked for shape; anything else refuses the receipt. */
function receiptRejections(raw: unknown): RecordRejection[] {
  if (raw == null) return []
  if (!Array.isArray(raw)) throw reject('bad_payload')
  return raw.map((x: Record<string, unknown>) => {
    if (typeof x?.recordUid !== 'string' || typeof x.code !== 'string' || typeof x.reason !== 'string') throw reject('bad_payload')
    return { recordUid: x.recordUid, code: x.code.slice(0, 40), reason: x.reason.slice(0, 2000) }
  })
}

/**
 * The city's per-record refusals: each record waits in 问题数据 with the city's reason until corrected, and is not
 * acknowledged. A rejection naming a record this office never had refuses the whole receipt.
 */
async function applyRejections(trx: Knex.Transaction, rejections: RecordRejection[], receiptId: number, now: number): Promise<number> {
  if (!rejections.length) return 0
  const uids = rejections.map((x) => x.recordUid)
  const known = new Set<string>()
  for (let i = 0; i < uids.length; i += 500)
    for (const u of await trx('records')
      .whereIn('uid', uids.slice(i, i + 500))
      .pluck('uid'))
      known.add(u)
  const unknown = uids.filter((u) => !known.has(u))
  if (unknown.length) throw reject('receipt_unknown_records', { count: unknown.length, uids: unknown.slice(0, 5).join('、') })
  for (const x of rejections) {
    const record = (await trx('records').where('uid', x.recordUid).first('id'))!
    await trx('records')
      .where('id', record.id)
      .update({ acknowledged_in: null, rejected_code: x.code, rejected_reason: x.reason, rejected_at: now, rejected_in: receiptId })
    await trx('record_rejections').insert({ record_id: record.id, receipt_id: receiptId, code: x.code, reason: x.reason, at: now })
  }
  return rejections.length
}

/** Catalog updates: each item becomes a version awaiting review here unless it equals the one in force. */
async function applyCatalog(trx: Knex.Transaction, clock: Clock, rows: Array<Record<string, unknown>>) {
  const changes = { catalogCreated: 0, catalogVersions: 0, catalogUnchanged: 0, catalogConflicts: 0, catalogInvalid: 0 }
  const key = {
    created: 'catalogCreated',
    version: 'catalogVersions',
    unchanged: 'catalogUnchanged',
    conflict: 'catalogConflicts',
    invalid: 'catalogInvalid',
  } as const
  for (const row of rows) changes[key[await receiveItem(trx, clock, row)]]++
  return changes
}

type IssuedTask = Omit<ReviewedTask, 'source' | 'externalId'> & { externalId: string; planExternalId: string }

/** Issued tasks: a new plan with the city's ids; a plan the county already entered gets the ids; a re-issue updates. */
async function applyTasks(
  trx: Knex.Transaction,
  clock: Clock,
  tables: Record<string, Array<Record<string, unknown>>>,
  userId: number | null,
  sender: string,
  createUnits: boolean,
) {
  const changes = { plansCreated: 0, tasksCreated: 0, tasksLinked: 0, unitsCreated: 0, plansToReview: 0 }
  const tasks = (tables.tasks ?? []) as unknown as IssuedTask[]
  for (const plan of tables.plans ?? []) {
    const externalId = String(plan.externalId)
    const own = tasks.filter((t) => t.planExternalId === externalId)
    const existing =
      (await trx('plans').where('external_id', externalId).first('id')) ??
      (plan.docNumber ? await trx('plans').where('doc_number', String(plan.docNumber)).first('id') : undefined)
    if (existing) {
      await trx('plans').where('id', existing.id).update({ external_id: externalId })
      for (const t of own) {
        const row =
          (await trx('tasks').where('external_id', t.externalId).first('id')) ??
          (await trx('tasks')
            .where({ plan_id: existing.id, path: t.path.join('/') })
            .whereNull('external_id')
            .first('id'))
        if (!row) continue
        await trx('tasks').where('id', row.id).update({
          external_id: t.externalId,
          title: t.title,
          deadline: t.deadline,
          deadline_text: t.deadlineText,
          recurring: t.recurring,
        })
        changes.tasksLinked++
      }
      continue
    }
    const names = [...new Set(own.flatMap((t) => [...t.units.lead, ...t.units.responsible, ...t.units.cooperating]))]
    const matches = await matchUnits(trx, names)
    const issuer = typeof plan.issuer === 'string' ? plan.issuer : null
    const docNumber = typeof plan.docNumber === 'string' ? plan.docNumber : null
    // Names this office does not know wait for the same review a parsed document gets (a re-issue replaces the draft).
    if (!createUnits && matches.some((m) => !m.unitId && m.how !== 'ignored')) {
      await trx('plan_drafts')
        .insert({
          external_id: externalId,
          title: String(plan.title),
          issuer,
          doc_number: docNumber,
          year: Number(plan.year),
          tasks: JSON.stringify(own.map((t) => ({ ...t, source: t.title }))),
          sender,
          created_at: clock.now(),
        })
        .onConflict('external_id')
        .merge()
      changes.plansToReview++
      continue
    }
    const saved = await savePlan(
      trx,
      clock,
      {
        title: String(plan.title),
        issuer,
        docNumber,
        year: Number(plan.year),
        sourceFile: null,
        externalId,
        tasks: own.map((t) => ({ ...t, source: t.title })),
        resolutions: matches.map((m) => ({
          name: m.name,
          unitId: m.unitId,
          create: !m.unitId && m.how !== 'ignored',
          ignore: m.how === 'ignored',
        })),
      },
      userId,
    )
    changes.plansCreated++
    changes.tasksCreated += saved.tasks
    changes.unitsCreated += saved.unitsCreated
  }
  return changes
}

/** The city side: the receipt for a package it has opened, sent back to the sender. */
export function receiptRows(
  header: PackageHeader,
  digest: string,
  counts: Record<string, number>,
  receivedAt: string,
  rejections: RecordRejection[] = [],
) {
  const status = rejections.length ? 'partial' : 'accepted'
  return [{ packageDigest: digest, sequence: header.sequence, kind: header.kind, receivedAt, counts, status, rejections }]
}

/** Every package written or read, newest first. */
export async function packageLog(db: Knex, limit = 200) {
  await abandonDeadReservations(db)
  const rows = await db('exchange_packages').orderBy('id', 'desc').limit(limit)
  return rows.map((r) => {
    const counts: Record<string, number> = JSON.parse(r.counts)
    const warnings: Array<{ reason: string; missing?: number }> = r.warnings ? JSON.parse(r.warnings) : []
    return {
      id: r.id,
      direction: r.direction,
      kind: r.kind,
      sequence: Number(r.sequence),
      peerName: r.peer_name,
      digest: r.digest,
      fileName: r.file_name,
      size: Number(r.size),
      full: Boolean(r.full),
      counts,
      warnings,
      acknowledgedAt: r.acknowledged_at ? Number(r.acknowledged_at) : null,
      createdAt: Number(r.created_at),
      state: r.state,
    }
  })
}
