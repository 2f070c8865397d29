// The body of a format-2 transfer package (docs/package-format.md): records of at most CHUNK_SIZE bytes, each
// `u32 prefix ‖ data ‖ tag`. Prefix bit 31 is the clear flag: the data is already ciphertext (a scan sealed at rest
// under its own key), so it is authenticated here but not encrypted a second time; the low 31 bits are its length.
// Every record but the last holds at least MIN_RECORD bytes, so a file of n bytes has at most n / MIN_RECORD records
// and what a reader keeps per record stays small whatever a sender did.
import { createHash } from 'node:crypto'
import { open as openFile } from 'node:fs/promises'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import type { ChunkFailure, ChunkPass } from './chunk-stream'
import { SharedRing, SharedSlots } from './crypto-buffers'
import { cryptoPool, OrderedPipeline } from './crypto-pool'
import { CHUNK_SIZE } from './package-header'
import type { ChunkKeys, Suite } from './suites'

export const CLEAR_FLAG = 0x8000_0000
export const MIN_RECORD = 64 * 1024

/** Bytes that are already ciphertext under a key only the recipient will learn: carried authenticated, not re-encrypted. */
export interface ClearPiece {
  clear: true
  bytes: Uint8Array
}
/** What a package body is written from: plain bytes (sealed) and clear pieces, in payload order. */
export type BodyPiece = Uint8Array | ClearPiece

/** Associated data of record `index`: the header's hash, the index, whether it is the last, whether it is clear. */
export function recordAad(headerHash: Buffer, index: number, last: boolean, clear: boolean): Buffer {
  const b = Buffer.alloc(headerHash.length + 10)
  headerHash.copy(b)
  b.writeBigUInt64BE(BigInt(index), headerHash.length)
  b[headerHash.length + 8] = last ? 1 : 0
  b[headerHash.length + 9] = clear ? 1 : 0
  return b
}

/** A record being filled: its bytes copied in as they come, into a slot of its own (fresh memory without slots). */
class Run {
  private memory: Buffer | null = null
  private release: (() => void) | undefined
  length = 0
  constructor(private readonly slots?: SharedSlots) {}

  /** Copies as much of `b` as the record still holds; returns how many bytes it took. */
  async add(b: Uint8Array): Promise<number> {
    if (!this.memory) {
      const slot = this.slots ? await this.slots.take() : undefined
      this.memory = slot ?? Buffer.allocUnsafeSlow(CHUNK_SIZE)
      this.release = slot && (() => this.slots!.give(slot))
    }
    const n = Math.min(b.length, CHUNK_SIZE - this.length)
    this.memory.set(b.subarray(0, n), this.length)
    this.length += n
    return n
  }

  /** The bytes so far, as a record (with its slot's release); the run starts again empty. */
  cut(): { data: Buffer; release?: () => void } {
    const record = { data: (this.memory ?? Buffer.alloc(0)).subarray(0, this.length), ...(this.release ? { release: this.release } : {}) }
    this.memory = null
    this.release = undefined
    this.length = 0
    return record
  }
}

/** Clear pieces whose memory is only lent (a slot of a scan being sent): given back once copied into records. */
const lent = new WeakMap<object, () => void>()

/** Marks `bytes` as lent: the body gives it back (calls `release`) as soon as it has copied it. */
export function lendPiece<T extends Uint8Array>(bytes: T, release: () => void): T {
  lent.set(bytes, release)
  return bytes
}

export interface BodyRecord {
  data: Buffer
  clear: boolean
  last: boolean
  /** Gives the record's memory back to its slots (once the record has been written). */
  release?: () => void
}

/**
 * Cuts the body into records: sealed bytes into records of CHUNK_SIZE, clear pieces into clear records of
 * CHUNK_SIZE. A sealed run shorter than MIN_RECORD before a clear piece borrows that piece's first bytes (they are
 * sealed as well, which costs nothing in safety); a clear run shorter than MIN_RECORD is sealed. The last record
 * is flagged; an empty body is one empty sealed record. Every byte is copied into its record as it comes (a lent
 * piece is given back at once); with `slots`, records live in slots, at most four held here at once.
 */
export async function* bodyRecords(source: AsyncIterable<BodyPiece>, slots?: SharedSlots): AsyncGenerator<BodyRecord> {
  const sealed = new Run(slots)
  const clear = new Run(slots)
  type Cut = Omit<BodyRecord, 'last'>
  let held: Cut | null = null
  let ready: Cut | null = null
  const record = (run: Run, isClear: boolean) => {
    ready = held
    held = { ...run.cut(), clear: isClear }
  }
  function* handOn(): Generator<BodyRecord> {
    if (ready) yield { ...ready, last: false }
    ready = null
  }
  async function* fill(run: Run, b: Uint8Array, isClear: boolean): AsyncGenerator<BodyRecord> {
    for (let at = 0; at < b.length;) {
      at += await run.add(b.subarray(at))
      if (run.length === CHUNK_SIZE) {
        record(run, isClear)
        yield* handOn()
      }
    }
  }
  for await (const piece of source) {
    if (piece instanceof Uint8Array) {
      if (clear.length >= MIN_RECORD) record(clear, true)
      else if (clear.length) {
        const short = clear.cut()
        yield* fill(sealed, short.data, false)
        short.release?.()
      }
      yield* handOn()
      yield* fill(sealed, piece, false)
    } else {
      let b = piece.bytes
      if (sealed.length) {
        const borrow = Math.min(Math.max(0, MIN_RECORD - sealed.length), b.length)
        if (borrow) yield* fill(sealed, b.subarray(0, borrow), false)
        b = b.subarray(borrow)
        if (b.length) {
          record(sealed, false)
          yield* handOn()
        }
      }
      yield* fill(clear, b, true)
      lent.get(piece.bytes)?.()
    }
  }
  if (clear.length) record(clear, true)
  yield* handOn()
  if (sealed.length) record(sealed, false)
  yield* handOn()
  if (!held) record(sealed, false)
  yield { ...held!, last: true }
}

/** Records in slots at once: those being cut (4), those being sealed (the pipeline), those queued for the file (3). */
const slotsFor = (depth: number) => depth + 7

/**
 * Seals the body record by record in the worker pool and hands each record, in order, to `emit` as its parts
 * (prefix, data, tag: written one after the other, never joined) with its tag, plaintext length and, where its
 * memory is a slot, the release to call once the parts have been written. Records travel in shared slots: the
 * workers seal them where they lie, and clear ones are only read there.
 */
export async function sealRecords(
  suite: Suite,
  keys: ChunkKeys,
  headerHash: Buffer,
  source: AsyncIterable<BodyPiece>,
  signal: AbortSignal | undefined,
  emit: (parts: Buffer[], tag: Buffer, plainBytes: number, release?: () => void) => Promise<void>,
): Promise<void> {
  const pool = cryptoPool()
  type Sealed = { parts: Buffer[]; tag: Buffer; plain: number; release?: () => void }
  const pipeline = new OrderedPipeline<Sealed>(pool.depth)
  const hand = async (done: Sealed[]) => {
    for (const { parts, tag, plain, release } of done) await emit(parts, tag, plain, release)
  }
  try {
    let index = 0
    for await (const { data, clear, last, release } of bodyRecords(source, new SharedSlots(slotsFor(pool.depth), CHUNK_SIZE))) {
      if (signal?.aborted) throw new AppError(ErrorCode.Cancelled, 'cancelled')
      const i = index++
      const plain = data.length
      const prefix = Buffer.alloc(4)
      prefix.writeUInt32BE((clear ? CLEAR_FLAG : 0) + plain)
      const aad = recordAad(headerHash, i, last, clear)
      const job = { suite: suite.name, keys, aad, index: i, data }
      await hand(
        await pipeline.push(async () => {
          const tag = (await pool.run({ ...job, op: clear ? 'seal-clear' : 'seal-in-place' })).bytes!
          return { parts: [prefix, data, tag], tag, plain, release }
        }),
      )
    }
    await hand(await pipeline.drain())
  } catch (err) {
    pipeline.abandon()
    throw err
  }
}

export interface RecordSpan {
  /** Where the record's data starts (after its prefix). */
  at: number
  length: number
  clear: boolean
}

/** The records of a body, from their prefixes alone; null when they do not tile it exactly as the format says. */
export async function recordLayout(
  read: (at: number, length: number) => Promise<Buffer>,
  bodyStart: number,
  bodyLength: number,
  tagLength: number,
): Promise<RecordSpan[] | null> {
  const spans: RecordSpan[] = []
  const end = bodyStart + bodyLength
  let at = bodyStart
  while (at < end) {
    const prefix = await read(at, 4)
    if (prefix.length < 4) return null
    const word = prefix.readUInt32BE(0)
    const length = word & 0x7fff_ffff
    const next = at + 4 + length + tagLength
    if (length > CHUNK_SIZE || next > end) return null
    if (next < end && length < MIN_RECORD) return null // only the last record may be short
    spans.push({ at: at + 4, length, clear: (word & CLEAR_FLAG) !== 0 })
    at = next
  }
  return spans.length ? spans : null
}

/** Where a format-2 body lies, with its records. */
export interface RecordBody {
  path: string
  suite: Suite
  headerBytes: Buffer
  records: RecordSpan[]
}

/**
 * Walks every record in order, the crypto in the pool. verify: checks each tag. decrypt: requires each record to be
 * byte for byte the one verified, then decrypts the sealed ones (clear ones are handed on as they are).
 */
export async function walkRecords(
  s: RecordBody,
  keys: ChunkKeys,
  mode: { verify: true } | { decrypt: ChunkPass; onPlain: (plain: Buffer, index: number) => void | Promise<void> },
  fail: ChunkFailure,
  signal?: AbortSignal,
): Promise<ChunkPass> {
  const headerHash = s.suite.hash(s.headerBytes)
  const pass: ChunkPass = { tags: [], records: [] }
  const pool = cryptoPool()
  const pipeline = new OrderedPipeline<{ index: number; plain: Buffer | null }>(pool.depth)
  const handle = async (done: Array<{ index: number; plain: Buffer | null }>) => {
    for (const { index, plain } of done) {
      if (!plain) throw fail('chunk', { chunk: index + 1 })
      if ('onPlain' in mode) await mode.onPlain(plain, index)
    }
  }
  // Verifying, a record only has to be read: it goes through shared memory. Decrypting, it is handed on (to a tar
  // reader that keeps pieces of it for a while), so it gets memory of its own.
  const ring = 'verify' in mode ? new SharedRing(pool.depth + 1, CHUNK_SIZE + s.suite.tagLength) : null
  const f = await openFile(s.path, 'r')
  try {
    for (let i = 0; i < s.records.length; i++) {
      if (signal?.aborted) throw new AppError(ErrorCode.Cancelled, 'cancelled')
      const { at, length, clear } = s.records[i]!
      const body = ring ? ring.slot(i, length + s.suite.tagLength) : Buffer.allocUnsafe(length + s.suite.tagLength)
      if ((await f.read(body, 0, body.length, at)).bytesRead !== body.length) throw fail('truncated')
      const digest = createHash('sha256').update(body).digest()
      const aad = recordAad(headerHash, i, i === s.records.length - 1, clear)
      const job = { suite: s.suite.name, keys, aad, index: i, data: body }
      if ('verify' in mode) {
        pass.tags.push(Buffer.from(body.subarray(length)))
        pass.records.push(digest)
        await handle(
          await pipeline.push(async () => ({
            index: i,
            plain: (await pool.run(clear ? { ...job, op: 'open-clear' } : { ...job, op: 'open', decrypt: false })).bytes,
          })),
        )
      } else {
        if (!mode.decrypt.records[i]?.equals(digest)) throw fail('chunk', { chunk: i + 1 }) // changed since it was verified
        await handle(
          await pipeline.push(async () => ({
            index: i,
            plain: clear ? body.subarray(0, length) : (await pool.run({ ...job, op: 'decrypt' }, [body])).bytes,
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
