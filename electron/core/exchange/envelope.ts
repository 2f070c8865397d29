// The transfer-package file (docs/package-format.md): a plaintext header naming sender, recipient, sequence and
// kind; the payload in records of up to 1 MiB (format 1: fixed chunks, all sealed), each authenticated with its
// index and a last-chunk flag (format 2: and whether it was sealed or carried as the ciphertext it was); a signature
// over the header hash and every chunk tag at the end. Written under a temporary name, fsynced, renamed, then read
// back and checked; read in two passes (everything verified, then decrypted), in bounded memory either way.
import { createHash } from 'node:crypto'
import { close, fsync, open } from 'node:fs'
import { open as openFile, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { readLead, recordCount, walkChunks, type ChunkFailure, type LeadFailure } from './chunk-stream'
import { recordLayout, sealRecords, walkRecords, type BodyPiece, type RecordSpan } from './record-stream'
import { randomBytes, suiteOf, type Suite } from './suites'
import {
  CHUNK_SIZE,
  FORMAT_VERSION,
  PackageHeaderSchema,
  READABLE_VERSIONS,
  type PackageHeader,
  type PackageKind,
  type PartyInfo,
} from './package-header'

export {
  CHUNK_SIZE,
  FORMAT_VERSION,
  MAX_SEQUENCE,
  PACKAGE_KINDS,
  PackageHeaderSchema,
  type PackageHeader,
  type PackageKind,
  type PartyInfo,
} from './package-header'

const MAGIC = Buffer.from('CDPKG\r\n\x1a', 'latin1') // a text-mode copy or a wrong file fails here
const SIGNATURE_CONTEXT = Buffer.from('CDPKG1-SIG', 'latin1')
const MAX_HEADER = 64 * 1024
const MAX_SIGNATURE = 1024

export type RejectReason =
  | 'not_package'
  | 'newer_version'
  | 'bad_header'
  | 'truncated'
  | 'chunk'
  | 'signature'
  | 'wrong_recipient'
  | 'unknown_sender'
  | 'retired_sender'
  | 'unwrap_failed'
  | 'replay'
  | 'wrong_kind'
  | 'bad_payload'
  | 'receipt_unknown'
  | 'receipt_unknown_records'
  | 'archive_exists'
  | 'unknown_unit'
  | 'unsafe_name'

export const reject = (reason: RejectReason, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.PackageRejected, `package rejected: ${reason}`, { reason, ...details })

const packageFailure: ChunkFailure = (reason, details) => reject(reason, details)

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

export interface WriteOptions {
  path: string
  suite: Suite
  kind: PackageKind
  sequence: number
  createdAt: string
  sender: Omit<PartyInfo, 'keyFingerprint'>
  senderPrivatePem: string
  recipientPublicPem: string
  /** The payload: plain bytes are sealed; clear pieces (scans already sealed under their own key) are only authenticated. */
  payload: AsyncIterable<BodyPiece>
  onProgress?: (plainBytes: number) => void
  signal?: AbortSignal
  /** Test seam: the stick pulled out / the disk full after this many bytes. */
  writeLimit?: number
  /**
   * Runs once the file is written and read back under its temporary name, before it takes its final name: the
   * caller logs the package here. A package that verifies under its final name has therefore always been logged.
   */
  beforeRename?: (written: WrittenPackage) => Promise<void>
}

export interface WrittenPackage {
  header: PackageHeader
  size: number
  digest: string
  chunks: number
  plainBytes: number
}

const fsyncPath = async (path: string) => {
  const fd = await promisify(open)(path, 'r')
  try {
    await promisify(fsync)(fd).catch(() => undefined) // directories cannot be fsynced everywhere (Windows)
  } finally {
    await promisify(close)(fd)
  }
}

export async function writePackage(o: WriteOptions): Promise<WrittenPackage> {
  const suite = o.suite
  const secret = randomBytes(32)
  const salt = randomBytes(16)
  const header: PackageHeader = {
    format: 'credit-desk-package',
    version: FORMAT_VERSION,
    suite: suite.name,
    chunkSize: CHUNK_SIZE,
    salt: salt.toString('hex'),
    kind: o.kind,
    sequence: o.sequence,
    createdAt: o.createdAt,
    sender: { ...o.sender, keyFingerprint: suite.fingerprint(suite.publicFromPrivate(o.senderPrivatePem)) },
    recipient: {
      keyFingerprint: suite.fingerprint(o.recipientPublicPem),
      wrappedKey: suite.wrap(secret, o.recipientPublicPem).toString('base64'),
    },
  }
  // What this writes, every reader must be able to read: the same schema as the reader's.
  const valid = PackageHeaderSchema.safeParse(header)
  if (!valid.success)
    throw new AppError(ErrorCode.Validation, 'package header out of format', {
      fields: valid.error.issues.map((i) => ({ path: i.path.join('.'), message: 'invalid' })),
    })
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8')
  const headerHash = suite.hash(headerBytes)
  const keys = suite.deriveKeys(secret, salt)
  // A temporary name that does not end in the package extension: a cancelled or failed export leaves nothing that looks like a package.
  const temp = join(dirname(o.path), `.${basename(o.path)}.${randomBytes(4).toString('hex')}.partial`)
  let file: FileHandle | undefined
  let written = 0
  // Writes are queued rather than awaited one by one, so the stick's latency overlaps the sealing (a few MiB queued at most).
  let writing: Promise<void> = Promise.resolve()
  let queued = 0
  // `done` runs once the bytes are written, or the write has failed (a record's slot goes back either way).
  const put = async (b: Buffer, done?: () => void) => {
    if (o.writeLimit !== undefined && written + queued + b.length > o.writeLimit) {
      await writing
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    }
    queued += b.length
    writing = writing.then(async () => {
      await file!.write(b)
      written += b.length
      queued -= b.length
    })
    if (done) writing.then(done, done)
    writing.catch(() => undefined) // surfaced by the next await of `writing`
    if (queued > 2 * CHUNK_SIZE) await writing
  }
  const tags: Buffer[] = []
  let plainBytes = 0
  const sent = createHash('sha256') // of every byte written, for the read-back comparison
  await removeStalePartials(dirname(o.path))
  try {
    file = await openFile(temp, 'wx')
    const prefix = Buffer.alloc(4)
    prefix.writeUInt16BE(FORMAT_VERSION, 0)
    const lead = Buffer.concat([MAGIC, prefix, u32(headerBytes.length), headerBytes])
    sent.update(lead)
    await put(lead)
    await sealRecords(suite, keys, headerHash, o.payload, o.signal, async (parts, tag, plain, release) => {
      tags.push(Buffer.from(tag)) // a copy: a view would keep the whole record alive
      for (const [i, part] of parts.entries()) {
        sent.update(part)
        await put(part, i === parts.length - 1 ? release : undefined)
      }
      plainBytes += plain
      o.onProgress?.(plainBytes)
    })
    const signature = suite.sign(Buffer.concat([SIGNATURE_CONTEXT, headerHash, ...tags]), o.senderPrivatePem)
    const trailer = Buffer.concat([signature, u32(signature.length)])
    sent.update(trailer)
    await put(trailer)
    await writing
    await file.sync()
    await file.close()
    file = undefined
  } catch (err) {
    await writing.catch(() => undefined) // (no write may still be going when the file is closed and removed)
    await file?.close().catch(() => undefined)
    await rm(temp, { force: true }).catch(() => undefined)
    const code = (err as { code?: string }).code
    if (code === 'ENOSPC') throw new AppError(ErrorCode.DiskFull, 'disk full while writing the package')
    if (err instanceof AppError) throw err
    throw new AppError(ErrorCode.FileWriteFailed, 'package write failed', { reason: code ?? 'io' })
  }
  // Read back what is on the stick, still under the temporary name: the same bytes as were sealed (so every tag is
  // the one computed), a sound structure, and a signature that verifies. Only then is it logged and renamed.
  let result: WrittenPackage
  try {
    const check = await readStructure(temp)
    const onDisk = await fileSha256(temp)
    const signed = Buffer.concat([SIGNATURE_CONTEXT, headerHash, ...tags])
    if (
      !onDisk.equals(sent.digest()) ||
      !check.headerBytes.equals(headerBytes) ||
      !suite.verify(signed, check.signature, suite.publicFromPrivate(o.senderPrivatePem))
    )
      throw reject('signature')
    result = { header, size: check.size, digest: packageDigest(check), chunks: tags.length, plainBytes }
  } catch {
    await rm(temp, { force: true })
    throw new AppError(ErrorCode.FileWriteFailed, 'read-back check failed', { reason: 'readback' })
  }
  try {
    await o.beforeRename?.(result)
    await rename(temp, o.path)
  } catch (err) {
    await rm(temp, { force: true })
    if (err instanceof AppError) throw err
    throw new AppError(ErrorCode.FileWriteFailed, 'package rename failed', { reason: (err as { code?: string }).code ?? 'io' })
  }
  await fsyncPath(dirname(o.path)).catch(() => undefined) // the rename is done; a folder that cannot be synced changes nothing
  return result
}

/** SHA-256 of a file, read through one buffer (a stream would leave a megabyte of garbage per megabyte read). */
async function fileSha256(path: string): Promise<Buffer> {
  const hash = createHash('sha256')
  const buffer = Buffer.allocUnsafe(CHUNK_SIZE)
  const f = await openFile(path, 'r')
  try {
    for (;;) {
      const { bytesRead } = await f.read(buffer, 0, buffer.length, null)
      if (!bytesRead) return hash.digest()
      hash.update(buffer.subarray(0, bytesRead))
    }
  } finally {
    await f.close()
  }
}

/** Our temporary package names (`.NAME.xxxxxxxx.partial`), left behind by an export that was killed. */
const OUR_PARTIAL = /^\..+\.[0-9a-f]{8}\.partial$/
const STALE_AFTER_MS = 10 * 60_000

/** Removes our own temporary files in a folder that no export has touched for a while (a live one writes steadily). */
export async function removeStalePartials(dir: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = []
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!OUR_PARTIAL.test(name)) continue
    const info = await stat(join(dir, name)).catch(() => null)
    if (!info?.isFile() || now - info.mtimeMs < STALE_AFTER_MS) continue
    await rm(join(dir, name), { force: true })
    removed.push(name)
  }
  return removed
}

interface Structure {
  path: string
  size: number
  header: PackageHeader
  headerBytes: Buffer
  suite: Suite
  bodyStart: number
  bodyLength: number
  /** Format 2: the records, from their prefixes (format 1 has fixed chunks). */
  records: RecordSpan[] | null
  signature: Buffer
}

/** Magic, version, header and trailer: everything that can be judged without keys. */
export async function readStructure(path: string): Promise<Structure> {
  const fail: LeadFailure = (reason, details) => reject(reason === 'not_ours' ? 'not_package' : reason, details)
  return readLead(path, { magic: MAGIC, versions: READABLE_VERSIONS, maxHeader: MAX_HEADER, trailer: 4, fail }, async (lead) => {
    const checked = PackageHeaderSchema.safeParse(lead.parsed)
    if (!checked.success) throw reject('bad_header', { fields: checked.error.issues.map((i) => i.path.join('.')) })
    const header = checked.data as PackageHeader
    const suite = suiteOf(header.suite)!
    const signatureLength = (await lead.read(lead.size - 4, 4)).readUInt32BE(0)
    const bodyLength = lead.size - 4 - signatureLength - lead.bodyStart
    if (signatureLength === 0 || signatureLength > MAX_SIGNATURE || bodyLength < suite.tagLength) throw reject('truncated')
    const records = lead.version === 1 ? null : await recordLayout(lead.read, lead.bodyStart, bodyLength, suite.tagLength)
    if (lead.version === 1 ? recordCount(bodyLength, suite) === null : records === null) throw reject('truncated')
    return {
      path,
      size: lead.size,
      header,
      headerBytes: lead.headerBytes,
      suite,
      bodyStart: lead.bodyStart,
      bodyLength,
      records,
      signature: await lead.read(lead.size - 4 - signatureLength, signatureLength),
    }
  })
}

/**
 * The package's identity in logs and receipts: the hash of its header and signature. The signature covers every
 * chunk tag, so two packages that verify and share this digest are the same package; it costs no pass over the body.
 */
export function packageDigest(s: Pick<Structure, 'headerBytes' | 'signature' | 'suite'>): string {
  return s.suite.hash(Buffer.concat([s.headerBytes, s.signature])).toString('hex')
}

export interface OpenKeys {
  /** Own private keys by fingerprint (current and rotated-out ones: old packages still open). */
  ownKeys: Map<string, string>
  /** Trusted sender public keys by fingerprint, with whether they have been retired. */
  senders: Map<string, { publicPem: string; retired: boolean }>
}

export interface OpenedPackage {
  header: PackageHeader
  digest: string
  chunks: number
}

/**
 * Verifies a package completely (structure, recipient, sender, every chunk tag, the signature) and only then, if
 * `onPlain` is given, decrypts it chunk by chunk into it, checking each tag again as it goes.
 */
export async function openPackage(
  path: string,
  keys: OpenKeys,
  onPlain?: (plain: Buffer, index: number) => void | Promise<void>,
  signal?: AbortSignal,
  /** Runs once the package is verified and before anything is decrypted: replay checks; 'skip' stops there. */
  check?: (header: PackageHeader) => Promise<'skip' | void>,
): Promise<OpenedPackage> {
  const s = await readStructure(path)
  const ownPrivate = keys.ownKeys.get(s.header.recipient.keyFingerprint)
  if (!ownPrivate) throw reject('wrong_recipient', { fingerprint: s.header.recipient.keyFingerprint })
  const sender = keys.senders.get(s.header.sender.keyFingerprint)
  if (!sender) throw reject('unknown_sender', { fingerprint: s.header.sender.keyFingerprint, orgName: s.header.sender.orgName })
  if (sender.retired) throw reject('retired_sender', { fingerprint: s.header.sender.keyFingerprint, orgName: s.header.sender.orgName })
  const secret = s.suite.unwrap(Buffer.from(s.header.recipient.wrappedKey, 'base64'), ownPrivate)
  if (!secret || secret.length !== 32) throw reject('unwrap_failed')
  const chunkKeys = s.suite.deriveKeys(secret, Buffer.from(s.header.salt, 'hex'))
  const walk = (mode: Parameters<typeof walkChunks>[2]) =>
    s.records
      ? walkRecords({ ...s, records: s.records }, chunkKeys, mode, packageFailure, signal)
      : walkChunks(s, chunkKeys, mode, packageFailure, signal)
  const pass = await walk({ verify: true })
  const signed = Buffer.concat([SIGNATURE_CONTEXT, s.suite.hash(s.headerBytes), ...pass.tags])
  if (!s.suite.verify(signed, s.signature, sender.publicPem)) throw reject('signature')
  const verdict = await check?.(s.header)
  if (onPlain && verdict !== 'skip') await walk({ decrypt: pass, onPlain })
  return { header: s.header, digest: packageDigest(s), chunks: pass.tags.length }
}
