// Transfer packages (数据交换包) across the typed boundary.
import { z } from 'zod'
import { Id, TimestampMs, text } from './common'

const Suite = z.enum(['SM2-SM3-SM4', 'X25519-Ed25519-AES256GCM'])
/** The algorithm suites a package can use (national by default; the standard suite where a city asks for it). */
export type SuiteName = z.infer<typeof Suite>
/** What a transfer package carries (county → city data; city → county tasks, catalog updates, receipts, 名单). */
export const PACKAGE_KINDS = ['data', 'tasks', 'catalog', 'receipt', 'lists', 'archive'] as const
export type PackageKind = (typeof PACKAGE_KINDS)[number]
const Kind = z.enum(PACKAGE_KINDS)
const Counts = z.record(z.string(), z.number().int())

/** What a data package may carry, chosen per peer by the administrator. */
export const EXPORT_PARTS = ['catalog', 'records', 'progress', 'archives', 'credit'] as const
/** What a peer may receive until the administrator says otherwise (archives only when chosen). */
export const DEFAULT_PARTS: ExportPart[] = ['catalog', 'records', 'progress', 'credit']
export type ExportPart = (typeof EXPORT_PARTS)[number]
const Parts = z
  .array(z.enum(EXPORT_PARTS))
  .max(EXPORT_PARTS.length)
  .transform((p) => EXPORT_PARTS.filter((x) => p.includes(x)))

export const ExchangeKey = z.object({
  id: Id,
  suite: Suite,
  fingerprint: z.string(),
  spoken: z.string(),
  createdAt: TimestampMs,
  retiredAt: TimestampMs.nullable(),
})
export const ExchangePeer = z.object({
  id: Id,
  name: z.string(),
  suite: Suite,
  fingerprint: z.string(),
  spoken: z.string(),
  importedAt: TimestampMs,
  retiredAt: TimestampMs.nullable(),
  parts: Parts,
})
export const PeerPartsInput = z.object({ peerId: Id, parts: Parts })
const PackageLogEntry = z.object({
  id: Id,
  direction: z.enum(['out', 'in']),
  kind: Kind,
  sequence: z.number().int(),
  peerName: z.string(),
  digest: z.string(),
  fileName: z.string(),
  size: z.number(),
  full: z.boolean(),
  counts: Counts,
  warnings: z.array(z.object({ reason: z.string(), missing: z.number().int().optional() })),
  acknowledgedAt: TimestampMs.nullable(),
  createdAt: TimestampMs,
  /** writing: being exported now; abandoned: an export killed before it finished (its number stays used). */
  state: z.enum(['writing', 'done', 'abandoned']),
})
export const ExchangeStatus = z.object({ keys: z.array(ExchangeKey), peers: z.array(ExchangePeer), packages: z.array(PackageLogEntry) })

export const PeerImportInput = z.object({ name: text(100) })
export const PeerImportResult = z.object({
  cancelled: z.boolean(),
  peer: ExchangePeer.omit({ importedAt: true, retiredAt: true, parts: true }).nullable(),
})
/** confirmPersonal: the user saw which personal data the package carries and chose to send it. */
export const ExportInput = z.object({ full: z.boolean(), confirmPersonal: z.boolean().default(false) })
export const ExportPreview = z.object({
  peer: z.object({ id: Id, name: z.string(), suite: Suite }),
  parts: Parts,
  counts: Counts,
  since: TimestampMs.nullable(),
  nextSequence: z.number().int(),
  lastUnacknowledged: z.number().int().nullable(),
  /** Rows that carry personal data (full ID numbers), by table: shown, and confirmed, before the export runs. */
  personal: Counts,
})

const JobError = z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })
export const ExchangeJob = z.object({
  id: z.string(),
  direction: z.enum(['export', 'import']),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  fileName: z.string(),
  rowsDone: z.number().int(),
  rowsTotal: z.number().int(),
  bytes: z.number(),
  exported: z.object({ sequence: z.number().int(), digest: z.string(), size: z.number(), counts: Counts }).nullable(),
  imported: z
    .object({
      alreadyImported: z.boolean(),
      kind: Kind,
      sequence: z.number().int(),
      senderName: z.string(),
      counts: Counts,
      changes: Counts,
      warnings: z.array(z.object({ reason: z.string(), missing: z.number().int().optional() })),
    })
    .nullable(),
  error: JobError.nullable(),
})
export type ExchangeJob = z.infer<typeof ExchangeJob>
export const JobStart = z.object({ job: ExchangeJob.nullable() })
export const JobIdInput = z.object({ jobId: z.string().uuid() })
