// The sealed body shared by transfer packages (envelope.ts) and backups (backup/backup-file.ts): a byte stream cut
// into CHUNK_SIZE pieces, each sealed with its index and a last-chunk flag bound to the header's hash (no reordering,
// no cut, no splice from another file), the crypto run in the worker pool a few chunks at a time.
import { createHash } from 'node:crypto'
import { open as openFile, stat } from 'node:fs/promises'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { bulkBytesHandled } from '../shared/garbage'
import { cryptoPool, OrderedPipeline } from './crypto-pool'
import { CHUNK_SIZE } from './package-header'
import type { ChunkKeys, Suite } from './suites'

/** Associated data of chunk `index`: the header's hash, the index, whether it is the last. */
export function chunkAad(headerHash: Buffer, index: number, last: boolean): Buffer {
  const b = Buffer.alloc(headerHash.length + 9)
  headerHash.copy(b)
  b.writeBigUInt64BE(BigInt(index), headerHash.length)
  b[headerHash.length + 8] = last ? 1 : 0
  return b
}

/** Splits a byte stream into chunkSize pieces, telling which is the last (an empty payload is one empty chunk). */
export async function* chunked(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<{ data: Buffer; last: boolean }> {
  let pending: Buffer[] = []
  let pendingLength = 0
  let ready: Buffer | null = null
  for await (const piece of source) {
    let at = 0
    while (at < piece.length) {
      const take = Math.min(size - pendingLength, piece.length - at)
      pending.push(Buffer.from(piece.subarray(at, at + take)))
      pendingLength += take
      at += take
      if (pendingLength === size) {
        if (ready) yield { data: ready, last: false }
        ready = Buffer.concat(pending)
        pending = []
        pendingLength = 0
      }
    }
  }
  if (pendingLength > 0) {
    if (ready) yield { data: ready, last: false }
    yield { data: Buffer.concat(pending), last: true }
  } else {
    yield { data: ready ?? Buffer.alloc(0), last: true }
  }
}

/** Seals `source` chunk by chunk and hands each sealed record, in order, to `emit` with its plaintext length. */
export async function sealStream(
  suite: Suite,
  keys: ChunkKeys,
  headerHash: Buffer,
  source: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
  emit: (record: Buffer, plainBytes: number) => Promise<void>,
): Promise<void> {
  const pool = cryptoPool()
  const pipeline = new OrderedPipeline<{ record: Buffer; plain: number }>(pool.depth)
  const hand = async (sealed: Array<{ record: Buffer; plain: number }>) => {
    for (const { record, plain } of sealed) {
      await emit(record, plain)
      bulkBytesHandled(record.length * 3) // the record, and the output and chunk it was sealed from
    }
  }
  try {
    let index = 0
    for await (const { data, last } of chunked(source, CHUNK_SIZE)) {
      if (signal?.aborted) throw new AppError(ErrorCode.Cancelled, 'cancelled')
      const i = index++
      const plain = data.length // (the chunk's memory moves to the worker)
      await hand(
        await pipeline.push(async () => ({
          record: (await pool.run({ op: 'seal', suite: suite.name, keys, aad: chunkAad(headerHash, i, last), index: i, data }, [data]))
            .bytes!,
          plain,
        })),
      )
    }
    await hand(await pipeline.drain())
  } catch (err) {
    pipeline.abandon()
    throw err
  }
}

/** Where the sealed records lie in a file. */
export interface SealedBody {
  path: string
  suite: Suite
  headerBytes: Buffer
  bodyStart: number
  bodyLength: number
}

export interface ChunkPass {
  tags: Buffer[]
  /** SHA-256 of each record as verified: the decrypt pass checks it reads exactly these bytes again. */
  records: Buffer[]
}

/** How a file's format names a bad chunk or a short file (a package and a backup each have their own error). */
export type ChunkFailure = (reason: 'chunk' | 'truncated', details?: Record<string, unknown>) => Error

/**
 * Walks every chunk in order, one record read at a time, the crypto in the pool (a few records in flight).
 * verify: checks each tag. decrypt: requires each record to be byte-for-byte the one verified, then decrypts it.
 */
export async function walkChunks(
  s: SealedBody,
  keys: ChunkKeys,
  mode: { verify: true } | { decrypt: ChunkPass; onPlain: (plain: Buffer, index: number) => void | Promise<void> },
  fail: ChunkFailure,
  signal?: AbortSignal,
): Promise<ChunkPass> {
  const recordLength = CHUNK_SIZE + s.suite.tagLength
  const count = Math.ceil(s.bodyLength / recordLength)
  const headerHash = s.suite.hash(s.headerBytes)
  const pass: ChunkPass = { tags: [], records: [] }
  const pool = cryptoPool()
  const pipeline = new OrderedPipeline<{ index: number; plain: Buffer | null }>(pool.depth)
  const handle = async (done: Array<{ index: number; plain: Buffer | null }>) => {
    for (const { index, plain } of done) {
      if (!plain) throw fail('chunk', { chunk: index + 1 })
      if ('onPlain' in mode) await mode.onPlain(plain, index)
      bulkBytesHandled(CHUNK_SIZE + plain.length)
    }
  }
  const f = await openFile(s.path, 'r')
  try {
    for (let i = 0; i < count; i++) {
      if (signal?.aborted) throw new AppError(ErrorCode.Cancelled, 'cancelled')
      const length = i === count - 1 ? s.bodyLength - i * recordLength : recordLength
      const record = Buffer.allocUnsafe(length)
      const { bytesRead } = await f.read(record, 0, length, s.bodyStart + i * recordLength)
      if (bytesRead !== length) throw fail('truncated')
      const digest = createHash('sha256').update(record).digest()
      const aad = chunkAad(headerHash, i, i === count - 1)
      if ('verify' in mode) {
        pass.tags.push(Buffer.from(record.subarray(length - s.suite.tagLength)))
        pass.records.push(digest)
        await handle(
          await pipeline.push(async () => ({
            index: i,
            plain: (await pool.run({ op: 'open', suite: s.suite.name, keys, aad, index: i, data: record, decrypt: false }, [record])).bytes,
          })),
        )
      } else {
        // The file must not have changed since it was verified.
        if (!mode.decrypt.records[i]?.equals(digest)) throw fail('chunk', { chunk: i + 1 })
        await handle(
          await pipeline.push(async () => ({
            index: i,
            plain: (await pool.run({ op: 'decrypt', suite: s.suite.name, keys, aad, index: i, data: record }, [record])).bytes,
          })),
        )
      }
    }
    await handle(await pipeline.drain())
  } catch (err) {
    pipeline.abandon()
    throw err
  } finally {
    await f.close()
  }
  return pass
}

/** How many records a body of this length holds, or null if its last record could not hold a tag. */
export function recordCount(bodyLength: number, suite: Suite): number | null {
  if (bodyLength < suite.tagLength) return null
  const records = Math.ceil(bodyLength / (CHUNK_SIZE + suite.tagLength))
  const lastLength = bodyLength - (records - 1) * (CHUNK_SIZE + suite.tagLength)
  return lastLength < suite.tagLength ? null : records
}

/** How a file's format names a foreign file, a newer one, a bad header, a short file. */
export type LeadFailure = (reason: 'not_ours' | 'newer_version' | 'bad_header' | 'truncated', details?: Record<string, unknown>) => Error

export interface Lead {
  size: number
  /** The format version the lead gives (one of those accepted). */
  version: number
  /** Where the sealed records start. */
  bodyStart: number
  headerBytes: Buffer
  /** The header as JSON, not yet checked against its schema. */
  parsed: unknown
  read(at: number, length: number): Promise<Buffer>
}

/**
 * Reads the part of a sealed file that needs no key: 8 bytes of magic, a u16 version (only those accepted pass, and
 * only if the header states the same: nothing signs these bytes), a zero u16, a u32 header length and the UTF-8 JSON header. `use` reads on (a trailer) while
 * the file is open.
 */
export async function readLead<T>(
  path: string,
  o: { magic: Buffer; versions: readonly number[]; maxHeader: number; trailer: number; fail: LeadFailure },
  use: (lead: Lead) => Promise<T>,
): Promise<T> {
  const size = (await stat(path)).size
  const f = await openFile(path, 'r')
  try {
    const read = async (at: number, length: number) => {
      const b = Buffer.alloc(length)
      const { bytesRead } = await f.read(b, 0, length, at)
      return b.subarray(0, bytesRead)
    }
    const lead = await read(0, 16)
    if (lead.length < 16 || !lead.subarray(0, 8).equals(o.magic)) throw o.fail('not_ours')
    const version = lead.readUInt16BE(8)
    const newest = Math.max(...o.versions)
    if (version > newest) throw o.fail('newer_version', { version })
    if (!o.versions.includes(version) || lead.readUInt16BE(10) !== 0) throw o.fail('bad_header')
    const headerLength = lead.readUInt32BE(12)
    if (headerLength > o.maxHeader) throw o.fail('bad_header')
    if (16 + headerLength + o.trailer > size) throw o.fail('truncated')
    const headerBytes = await read(16, headerLength)
    let parsed: unknown
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes))
    } catch {
      throw o.fail('bad_header')
    }
    const stated = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined
    if (typeof stated === 'number' && stated > newest) throw o.fail('newer_version', { version: stated })
    if (typeof stated === 'number' && stated !== version) throw o.fail('bad_header') // the signed header states the lead's version
    return await use({ size, version, bodyStart: 16 + headerLength, headerBytes, parsed, read })
  } finally {
    await f.close()
  }
}
