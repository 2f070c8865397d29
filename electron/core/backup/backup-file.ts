// The backup file (docs/backup-format.md): magic, version, a plaintext JSON header (when, which installation, the
// scrypt parameters, a passphrase check), then the payload sealed in 1 MiB chunks exactly as a transfer package's
// (SM4-CTR + HMAC-SM3 per chunk, index and last flag bound to the header's hash). No signature: whoever holds the
// passphrase may write one. Written under a temporary name, fsynced, read back and checked, then renamed.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open as openFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { ErrorCode } from '../../contract/errors'
import { readLead, recordCount, sealStream, walkChunks, type ChunkFailure, type LeadFailure } from '../exchange/chunk-stream'
import { randomBytes } from '../exchange/gm'
import { CHUNK_SIZE } from '../exchange/package-header'
import { suiteOf } from '../exchange/suites'
import { AppError } from '../shared/app-error'
import { BackupKdf, secretCheck } from './backup-key'

export const BACKUP_FORMAT_VERSION = 1
const MAGIC = Buffer.from('CDBAK\r\n\x1a', 'latin1')
const MAX_HEADER = 64 * 1024
const SUITE = suiteOf('SM2-SM3-SM4')!

export const BackupHeader = z
  .object({
    format: z.literal('credit-desk-backup'),
    version: z.literal(BACKUP_FORMAT_VERSION),
    createdAt: z.string().max(40),
    app: z.string().max(40),
    /** The newest migration in the snapshot: a newer one than this app knows is refused on restore. */
    schema: z.string().max(200),
    installation: z
      .object({ orgName: z.string().max(200), regionCode: z.string().max(20), fieldKeyFingerprint: z.string().max(64) })
      .strict(),
    reason: z.enum(['manual', 'daily', 'before-migrate', 'before-import', 'before-restore']),
    kdf: BackupKdf,
    check: z.string().regex(/^[0-9a-f]{32}$/),
    chunkSize: z.literal(CHUNK_SIZE),
    salt: z.string().regex(/^[0-9a-f]{32}$/),
  })
  .strict()
export type BackupHeader = z.infer<typeof BackupHeader>

export type BackupRejectReason =
  'not_backup' | 'newer_version' | 'bad_header' | 'truncated' | 'chunk' | 'wrong_passphrase' | 'bad_content' | 'newer_schema'

export const rejectBackup = (reason: BackupRejectReason, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.BackupRejected, `backup rejected: ${reason}`, { reason, ...details })

const backupFailure: ChunkFailure = (reason, details) => rejectBackup(reason, details)

interface BackupStructure {
  path: string
  size: number
  header: BackupHeader
  headerBytes: Buffer
  suite: typeof SUITE
  bodyStart: number
  bodyLength: number
}

/** Magic, version, header and the body's shape: what can be judged without the passphrase. */
export async function readBackupStructure(path: string): Promise<BackupStructure> {
  const fail: LeadFailure = (reason, details) => rejectBackup(reason === 'not_ours' ? 'not_backup' : reason, details)
  return readLead(path, { magic: MAGIC, versions: [BACKUP_FORMAT_VERSION], maxHeader: MAX_HEADER, trailer: 0, fail }, async (lead) => {
    const checked = BackupHeader.safeParse(lead.parsed)
    if (!checked.success) throw rejectBackup('bad_header', { fields: checked.error.issues.map((i) => i.path.join('.')) })
    const bodyLength = lead.size - lead.bodyStart
    if (recordCount(bodyLength, SUITE) === null) throw rejectBackup('truncated')
    return {
      path,
      size: lead.size,
      header: checked.data,
      headerBytes: lead.headerBytes,
      suite: SUITE,
      bodyStart: lead.bodyStart,
      bodyLength,
    }
  })
}

export interface WriteBackupOptions {
  path: string
  header: Omit<BackupHeader, 'format' | 'version' | 'chunkSize' | 'salt' | 'check'>
  secret: Buffer
  payload: AsyncIterable<Uint8Array>
  onProgress?: (plainBytes: number) => void
  signal?: AbortSignal
  /** Test seam: the stick pulled out / the disk full after this many bytes. */
  writeLimit?: number
}

/** Writes a backup file; it takes its name only once it has been read back and every chunk checks out. */
export async function writeBackupFile(o: WriteBackupOptions): Promise<{ header: BackupHeader; size: number; plainBytes: number }> {
  const salt = randomBytes(16)
  const header: BackupHeader = {
    format: 'credit-desk-backup',
    version: BACKUP_FORMAT_VERSION,
    ...o.header,
    check: secretCheck(o.secret),
    chunkSize: CHUNK_SIZE,
    salt: salt.toString('hex'),
  }
  BackupHeader.parse(header) // what this writes, the reader must accept
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const headerHash = SUITE.hash(headerBytes)
  const keys = SUITE.deriveKeys(o.secret, salt)
  const temp = join(dirname(o.path), `.${basename(o.path)}.${randomBytes(4).toString('hex')}.partial`)
  let file: FileHandle | undefined
  let written = 0
  let plainBytes = 0
  const sent = createHash('sha256')
  const put = async (b: Buffer) => {
    if (o.writeLimit !== undefined && written + b.length > o.writeLimit)
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
    sent.update(b)
    await file!.write(b)
    written += b.length
  }
  try {
    file = await openFile(temp, 'wx', 0o600)
    const lead = Buffer.alloc(16)
    MAGIC.copy(lead)
    lead.writeUInt16BE(BACKUP_FORMAT_VERSION, 8)
    lead.writeUInt32BE(headerBytes.length, 12)
    await put(Buffer.concat([lead, headerBytes]))
    await sealStream(SUITE, keys, headerHash, o.payload, o.signal, async (record, plain) => {
      await put(record)
      plainBytes += plain
      o.onProgress?.(plainBytes)
    })
    await file.sync()
    await file.close()
    file = undefined
  } catch (err) {
    await file?.close().catch(() => undefined)
    await rm(temp, { force: true }).catch(() => undefined)
    const code = (err as { code?: string }).code
    if (code === 'ENOSPC') throw new AppError(ErrorCode.DiskFull, 'disk full while writing the backup')
    if (err instanceof AppError) throw err
    throw new AppError(ErrorCode.FileWriteFailed, 'backup write failed', { reason: code ?? 'io' })
  }
  // Read back under the temporary name: the same bytes as were sealed, and every chunk opens.
  try {
    const onDisk = createHash('sha256')
    for await (const piece of createReadStream(temp, { highWaterMark: CHUNK_SIZE })) onDisk.update(piece as Buffer)
    if (!onDisk.digest().equals(sent.digest())) throw new Error('read-back differs')
    await walkChunks(await readBackupStructure(temp), keys, { verify: true }, backupFailure, o.signal)
    await rename(temp, o.path)
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined)
    if (err instanceof AppError && err.code === ErrorCode.Cancelled) throw err
    throw new AppError(ErrorCode.FileWriteFailed, 'read-back check failed', { reason: 'readback' })
  }
  return { header, size: written, plainBytes }
}

/**
 * Checks the passphrase, then every chunk; only then, if `onPlain` is given, decrypts chunk by chunk into it
 * (each record must be the very bytes verified). Nothing reaches `onPlain` from a file that does not check out whole.
 */
export async function openBackupFile(
  path: string,
  secretFor: (header: BackupHeader) => Promise<Buffer>,
  onPlain?: (plain: Buffer) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<{ header: BackupHeader; size: number }> {
  const s = await readBackupStructure(path)
  const secret = await secretFor(s.header)
  if (secretCheck(secret) !== s.header.check) throw rejectBackup('wrong_passphrase')
  const keys = s.suite.deriveKeys(secret, Buffer.from(s.header.salt, 'hex'))
  const pass = await walkChunks(s, keys, { verify: true }, backupFailure, signal)
  if (onPlain) await walkChunks(s, keys, { decrypt: pass, onPlain: (plain) => onPlain(plain) }, backupFailure, signal)
  return { header: s.header, size: s.size }
}
