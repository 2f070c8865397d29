// What a package carries, inside the encryption: a POSIX tar stream (any tar tool lists it once decrypted).
//   tables/<table>/<part>.ndjson   rows, one JSON object per line, at most PART_ROWS rows per part
//   attachments/<sm3>              files referred to by rows (stamped scans), by content digest
//   manifest.json                  last: kind, counts per table, bytes and SM3 of every entry
// Format 2 stores an entry coded where that is cheaper (a pax record `CREDITDESK.coding` says how, and the
// manifest repeats it): table parts gzip-compressed; scans sealed at rest as their portable ciphertext, carried
// clear in the package body, their key in the pax record `CREDITDESK.key` (inside the package's encryption).
// Each module adds its tables here without changing the format.
import { once } from 'node:events'
import { promisify } from 'node:util'
import { gunzip, gzip } from 'node:zlib'
import { pack as tarPack, extract as tarExtract, type Header } from 'tar-stream'
import { bulkBytesHandled } from '../shared/garbage'
import { SharedSlots } from './crypto-buffers'
import { cryptoPool } from './crypto-pool'
import { counterAt, sm4Ctr } from './gm'
import type { BodyPiece } from './record-stream'

export const PART_ROWS = 1000

/** How an entry is stored when it is not stored as it is. */
export interface EntryCoding {
  coding: 'gzip' | 'sm4-gcm'
  /** Its size in the tar. */
  stored: number
  /** sm4-gcm: the 16-byte key, hex. */
  key?: string
}

export type ManifestEntry = { name: string; bytes: number; sm3: string } & Partial<EntryCoding>

export interface Manifest {
  kind: string
  counts: Record<string, number>
  entries: ManifestEntry[]
  attachments: number
  [extra: string]: unknown
}

/** A manifest line, its fields always in this order (writer and reader compare listings as JSON). */
export function manifestEntry(name: string, bytes: number, sm3: string, coding?: EntryCoding): ManifestEntry {
  return coding
    ? { name, bytes, sm3, coding: coding.coding, stored: coding.stored, ...(coding.key ? { key: coding.key } : {}) }
    : { name, bytes, sm3 }
}

export const PAX_CODING = 'CREDITDESK.coding'
export const PAX_KEY = 'CREDITDESK.key'

export type PayloadEntry =
  | {
      name: string
      data: Buffer
      /** The entry's SM3 where it is already known. */
      sm3?: string
    }
  /** An entry streamed in pieces (a scan opened piece by piece): its size and SM3 known beforehand. */
  | { name: string; size: number; sm3: string; pieces: AsyncIterable<Buffer> }
  /**
   * A scan sealed at rest under its own key: its portable part (iv ‖ tag ‖ ciphertext, `stored` bytes) goes in as
   * it is, clear in the package body; `size` and `sm3` are of its plaintext.
   */
  | { name: string; size: number; sm3: string; sealed: { key: Buffer; stored: number }; pieces: AsyncIterable<Buffer> }

/** Table parts are compressed (rows deflate about 7×); scans are already compressed or random. */
const compressible = (name: string) => name.startsWith('tables/')
const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

/** One file in a tar stream, its size known beforehand and its bytes streamed in pieces. */
export interface TarEntry {
  name: string
  size: number
  pieces: AsyncIterable<Buffer> | Iterable<Buffer>
  /** Pax records of the entry. */
  pax?: Record<string, string>
  /** Its bytes are ciphertext already: handed on as clear pieces (the tar headers around them are not). */
  clear?: boolean
}

/**
 * A POSIX tar stream of the entries. Pull-based: each entry is packed and its bytes handed on before the next entry
 * is read, so memory holds one piece at a time, whatever the total. A clear entry's own bytes come out as clear
 * pieces (recognised as the very buffers written in), everything else as plain bytes.
 */
export async function* tarStream(entries: AsyncIterable<TarEntry>): AsyncGenerator<BodyPiece> {
  const pack = tarPack()
  const clearBuffers = new WeakSet<object>()
  let lastOut: object | null = null
  function* drain(): Generator<BodyPiece> {
    for (let piece = pack.read(); piece !== null; piece = pack.read()) {
      const bytes = piece as Uint8Array
      lastOut = bytes
      yield clearBuffers.has(bytes) ? { clear: true, bytes } : bytes
    }
  }
  const output = async () => {
    const stop = new AbortController()
    // (the timer only guards against a 'readable' that fired between the drain and the wait)
    await Promise.race([once(pack, 'readable', { signal: stop.signal }).catch(() => undefined), new Promise((r) => setTimeout(r, 20))])
    stop.abort()
  }
  // The packer accepts an entry only as its output is read: read while the entry goes in.
  for await (const { name, size, pieces, pax, clear } of entries) {
    let settled = false
    let failure: Error | null | undefined
    const entry = pack.entry({ name, size, mtime: new Date(0), ...(pax ? { pax } : {}) }, (err) => {
      settled = true
      failure = err
    })
    for await (const piece of pieces) {
      if (clear) clearBuffers.add(piece)
      entry.write(piece)
      yield* drain()
      // A clear piece may be lent memory (record-stream's lendPiece): it is out, and copied by the reader of this
      // stream, before the next one is asked for.
      // (the packer takes a write on its next tick)
      for (let ticks = 0; clear && piece.length && lastOut !== piece && !settled; ticks++) {
        if (ticks === 1000) throw new Error('the tar packer did not pass a clear piece through')
        await new Promise((resolve) => setImmediate(resolve))
        yield* drain()
      }
    }
    entry.end(undefined as never) // (the typings want an argument streamx does not need)
    while (!settled) {
      yield* drain()
      await output()
    }
    if (failure) throw failure
    yield* drain()
  }
  pack.finalize()
  for await (const piece of pack) yield piece as Uint8Array
}

/** The tar stream as plain bytes (a backup seals everything, scans included). */
export async function* tarBytes(entries: AsyncIterable<TarEntry>): AsyncGenerator<Uint8Array> {
  for await (const piece of tarStream(entries)) yield piece instanceof Uint8Array ? piece : piece.bytes
}

/** The items of several sources as each becomes ready, every source's own order kept (one item asked of each at a time). */
export async function* interleave<T>(...sources: Array<AsyncIterator<T>>): AsyncGenerator<T> {
  const next = (i: number) => sources[i]!.next().then((r) => ({ i, r }))
  const waiting = new Map(sources.map((_, i) => [i, next(i)]))
  try {
    while (waiting.size) {
      const { i, r } = await Promise.race(waiting.values())
      if (r.done) waiting.delete(i)
      else {
        waiting.set(i, next(i))
        yield r.value
      }
    }
  } finally {
    // An early stop (a cancel, a failure): the other sources are closed too (their files, their worker sessions),
    // once their pending step has settled, quietly.
    for (const [i, p] of waiting) {
      p.catch(() => undefined)
      void sources[i]!.return?.(undefined)?.catch(() => undefined)
    }
  }
}

/** Maps `source` through `fn` with up to `depth` calls under way (gzip on the thread pool while rows are read). */
async function* ahead<T, U>(source: AsyncIterable<T>, depth: number, fn: (item: T) => Promise<U>): AsyncGenerator<U> {
  const queue: Array<Promise<U>> = []
  for await (const item of source) {
    const p = fn(item)
    p.catch(() => undefined) // awaited in turn
    queue.push(p)
    if (queue.length >= depth) yield await queue.shift()!
  }
  while (queue.length) yield await queue.shift()!
}

/**
 * The tar bytes of the entries, then the manifest listing each entry's size and SM3 (the SM3 of a whole entry is
 * taken by a worker while its bytes go on into the tar; a streamed entry brings its own).
 */
export function payloadStream(entries: AsyncIterable<PayloadEntry>, manifest: Omit<Manifest, 'entries'>): AsyncGenerator<BodyPiece> {
  type Prepared = PayloadEntry & { stored?: Buffer }
  const prepared = ahead<PayloadEntry, Prepared>(entries, 3, async (e) =>
    'data' in e && compressible(e.name) ? { ...e, stored: await gzipAsync(e.data, { level: 1 }) } : e,
  )
  async function* listed(): AsyncGenerator<TarEntry> {
    const listing: ManifestEntry[] = []
    const hashing: Array<Promise<unknown>> = [] // (each job holds a copy: four at a time)
    for await (const e of prepared) {
      if ('sealed' in e) {
        const coding: EntryCoding = { coding: 'sm4-gcm', stored: e.sealed.stored, key: e.sealed.key.toString('hex') }
        listing.push(manifestEntry(e.name, e.size, e.sm3, coding))
        const pax = { [PAX_CODING]: coding.coding, [PAX_KEY]: coding.key! }
        yield { name: e.name, size: e.sealed.stored, pieces: e.pieces, pax, clear: true }
        continue
      }
      if ('pieces' in e) {
        listing.push(manifestEntry(e.name, e.size, e.sm3))
        yield { name: e.name, size: e.size, pieces: e.pieces }
        continue
      }
      const stored = e.stored
      const entry = manifestEntry(e.name, e.data.length, e.sm3 ?? '', stored && { coding: 'gzip', stored: stored.length })
      listing.push(entry)
      if (e.sm3 === undefined) {
        while (hashing.length >= 4) await hashing.shift()
        const job = cryptoPool()
          .run({ op: 'sm3', data: e.data })
          .then((r) => (entry.sm3 = r.sm3!))
        job.catch(() => undefined) // awaited in turn; this only keeps an early failure from counting as unhandled
        hashing.push(job)
      }
      if (stored) yield { name: e.name, size: stored.length, pieces: [stored], pax: { [PAX_CODING]: 'gzip' } }
      else yield { name: e.name, size: e.data.length, pieces: [e.data] }
    }
    await Promise.all(hashing)
    const attachments = listing.filter((e) => e.name.startsWith('attachments/')).length
    const manifestBytes = Buffer.from(JSON.stringify({ ...manifest, attachments, entries: listing }, null, 1))
    yield { name: 'manifest.json', size: manifestBytes.length, pieces: [manifestBytes] }
  }
  return tarStream(listed())
}

/** A row already serialised (one JSON object, no line break). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Rows as NDJSON parts: tables/<table>/000001.ndjson … */
export async function* tableParts(
  table: string,
  rows: AsyncIterable<Record<string, unknown> | RawJson>,
  counts: Record<string, number>,
): AsyncGenerator<PayloadEntry> {
  let lines: string[] = []
  let part = 0
  counts[table] = 0
  const flush = () => {
    const data = Buffer.from(lines.join(''))
    bulkBytesHandled(data.length * 2) // the rows' objects and strings behind each part: collected every few parts
    return { name: `tables/${table}/${String(++part).padStart(6, '0')}.ndjson`, data }
  }
  for await (const row of rows) {
    lines.push((row instanceof RawJson ? row.text : JSON.stringify(row)) + '\n')
    counts[table]!++
    if (lines.length === PART_ROWS) {
      yield flush()
      lines = []
    }
  }
  if (lines.length) yield flush()
}

/** A payload of rows held in memory (receipts, issued tasks, catalog updates: small by nature). */
export function tablesPayload(kind: string, tables: Record<string, Array<Record<string, unknown>>>): AsyncGenerator<BodyPiece> {
  const counts: Record<string, number> = {}
  async function* entries(): AsyncGenerator<PayloadEntry> {
    for (const [table, rows] of Object.entries(tables)) {
      yield* tableParts(
        table,
        (async function* () {
          yield* rows
        })(),
        counts,
      )
    }
  }
  return payloadStream(entries(), { kind, counts, attachments: 0 })
}

export interface PayloadReader {
  /** Feed decrypted bytes in order. */
  write(plain: Buffer): Promise<void>
  /** Call after the last byte; resolves once every entry has been handled. */
  end(): Promise<void>
}

/** The largest entry a reader takes whole, stored or decoded: a part of PART_ROWS rows, or a scan (at most 20 MB). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024

/** SM4-CTR over a sealed scan's ciphertext: in this thread, or spread over the crypto workers (see `ctrInPool`). */
export type CtrRunner = (key: Buffer, iv: Buffer, data: Buffer) => Promise<Buffer>
const ctrHere: CtrRunner = async (key, iv, data) => sm4Ctr(key, iv, data)

/**
 * SM4-CTR in the crypto workers, 1 MiB a job, the pieces in parallel (each starts at its own counter). Data in shared
 * memory is decrypted where it lies and returned as the same view; other data is copied to the workers and back.
 */
export const ctrInPool: CtrRunner = async (key, iv, data) => {
  const piece = 1 << 20
  const shared = data.buffer instanceof SharedArrayBuffer
  const jobs: Array<Promise<Buffer | null>> = []
  for (let at = 0; at < data.length; at += piece) {
    const counter = counterAt(iv, at)
    const view = data.subarray(at, Math.min(data.length, at + piece))
    const part = shared ? view : Buffer.from(view)
    jobs.push(
      cryptoPool()
        .run({ op: shared ? 'ctr-in-place' : 'ctr', key, iv: counter, data: part }, shared ? [] : [part], { background: true })
        .then((r) => r.bytes),
    )
  }
  const pieces = await Promise.all(jobs)
  return shared ? data : Buffer.concat(pieces as Buffer[])
}

/**
 * The plaintext of a scan carried as its portable ciphertext (iv ‖ tag ‖ SM4-GCM ciphertext): GCM's counter mode
 * from iv ‖ 00000002. Its tag is not checked again: the sender checked it before sending, and the package's own tags
 * and signature cover these bytes and the key; the manifest's SM3 of the plaintext is checked where the payload is
 * imported.
 */
async function openPortableScan(keyHex: string | undefined, portable: Buffer, ctr: CtrRunner): Promise<Buffer> {
  const { key, counter } = portableKey(keyHex, portable)
  return ctr(key, counter, portable.subarray(PORTABLE_HEAD))
}

/** iv (12) ‖ tag (16): what precedes a portable scan's ciphertext. */
const PORTABLE_HEAD = 28

/** The key and first counter block of a portable scan, from its pax key and the bytes that precede its ciphertext. */
function portableKey(keyHex: string | undefined, head: Buffer): { key: Buffer; counter: Buffer } {
  if (!keyHex || !/^[0-9a-f]{32}$/.test(keyHex) || head.length < PORTABLE_HEAD) throw new Error('sealed entry without a usable key')
  return { key: Buffer.from(keyHex, 'hex'), counter: Buffer.concat([head.subarray(0, 12), Buffer.from([0, 0, 0, 2])]) }
}

/** An entry's content as stored, decoded as its pax records say. */
async function decodeEntry(stored: Buffer, pax: Map<string, string>, ctr: CtrRunner): Promise<{ data: Buffer; coding?: EntryCoding }> {
  const coding = pax.get(PAX_CODING)
  if (coding === undefined) return { data: stored }
  if (coding === 'gzip')
    return { data: await gunzipAsync(stored, { maxOutputLength: MAX_ENTRY_BYTES }), coding: { coding, stored: stored.length } }
  if (coding === 'sm4-gcm') {
    const key = pax.get(PAX_KEY)
    return { data: await openPortableScan(key, stored, ctr), coding: { coding, stored: stored.length, key } }
  }
  throw new Error(`unknown entry coding ${coding}`)
}

/**
 * Entries read on while earlier ones are decoded: a few table parts (each inflates about 7×, so they are counted
 * too) or a scan held whole (where its bytes are wanted whole).
 */
const DECODE_AHEAD = 24 * 1024 * 1024
const DECODE_AHEAD_ENTRIES = 8

/** A streamed scan goes through the workers in pieces of this size (a multiple of the block), this many at a time. */
const SCAN_PIECE = 1 << 20
const SCAN_PIECES_AHEAD = 6

/** Where a scan's plaintext goes when it is streamed: pieces in order, then the end. */
export interface ScanSink {
  write(plain: Buffer): Promise<void>
  end(): Promise<void>
  /** The scan will not be finished (the package failed): release what the sink holds. */
  abort(): Promise<void>
}

/**
 * Opens the sink for a scan (its name, how it is stored, its plaintext size), or returns null to skip the scan
 * without decrypting it.
 */
export type ScanSinks = (name: string, coding: EntryCoding, size: number) => Promise<ScanSink | null>

/**
 * Reads the tar stream, handing each entry (whole, decoded, and refused past MAX_ENTRY_BYTES) to `onEntry` with
 * how it was stored, in order. With `scans`, a scan is not held whole: its ciphertext goes to the crypto workers a
 * piece at a time as it is read, each piece decrypted in shared memory and written to the scan's sink in order
 * (memory: a few pieces, whatever the scan's size; the workers start on a scan's first megabyte).
 */
export function payloadReader(
  onEntry: (name: string, data: Buffer, coding?: EntryCoding) => void | Promise<void>,
  o: { ctr?: CtrRunner; scans?: ScanSinks } = {},
): PayloadReader {
  const extract = tarExtract()
  const ctr = o.ctr ?? ctrHere
  const pieces = o.scans ? new SharedSlots(SCAN_PIECES_AHEAD + 2, SCAN_PIECE) : null
  // Decoding runs while the next entries are read (within DECODE_AHEAD bytes and DECODE_AHEAD_ENTRIES entries);
  // entries are still handed on in order.
  const decoding: Array<{ handed: Promise<unknown>; bytes: number }> = []
  let ahead = 0
  let handing: Promise<unknown> = Promise.resolve()
  const queue = (handed: Promise<unknown>, bytes: number) => {
    handing = handed
    handing.catch(() => undefined) // (a failure surfaces where it is awaited, in order)
    decoding.push({ handed, bytes })
    ahead += bytes
  }

  /** A scan streamed to its sink; resolves once its bytes are read, with what settles once they are written. */
  async function streamScan(
    name: string,
    size: number,
    pax: Map<string, string>,
    entry: AsyncIterable<Buffer>,
  ): Promise<{ written: Promise<void> }> {
    const head = Buffer.alloc(PORTABLE_HEAD)
    let headFilled = 0
    let sink: ScanSink | null = null
    let start: { key: Buffer; counter: Buffer } | null = null
    let writes: Promise<void> = Promise.resolve()
    let failure: unknown = null
    let piece: Buffer | null = null
    let filled = 0
    let offset = 0 // of the ciphertext
    const send = () => {
      const view = piece!.subarray(0, filled)
      const lent = piece!
      const decrypted = ctr(start!.key, counterAt(start!.counter, offset), view)
      decrypted.catch(() => undefined) // awaited in turn
      writes = writes.then(async () => sink!.write(await decrypted)).finally(() => pieces!.give(lent))
      writes.catch((err: unknown) => (failure ??= err))
      offset += filled
      piece = null
      filled = 0
    }
    let total = 0
    try {
      for await (const chunk of entry) {
        if ((total += chunk.length) > size) throw new Error('payload entry longer than its header says')
        if (failure) throw failure
        let at = 0
        if (headFilled < PORTABLE_HEAD) {
          at = chunk.copy(head, headFilled, 0, PORTABLE_HEAD - headFilled)
          headFilled += at
          if (headFilled < PORTABLE_HEAD) continue
          start = portableKey(pax.get(PAX_KEY), head)
          const coding: EntryCoding = { coding: 'sm4-gcm', stored: size, key: pax.get(PAX_KEY) }
          await handing // the entries before it are handed on first
          sink = await o.scans!(name, coding, size - PORTABLE_HEAD)
        }
        if (!sink) continue // skipped: not decrypted
        while (at < chunk.length) {
          piece ??= await pieces!.take()
          const n = chunk.copy(piece, filled, at)
          filled += n
          at += n
          if (filled === SCAN_PIECE) send()
        }
      }
      if (total !== size) throw new Error('payload entry shorter than its header says')
      if (headFilled < PORTABLE_HEAD) portableKey(pax.get(PAX_KEY), head.subarray(0, headFilled)) // (throws: too short to be a sealed scan)
      if (filled) send()
    } catch (err) {
      if (piece) pieces!.give(piece)
      await writes.catch(() => undefined)
      await sink?.abort()
      throw err
    }
    const opened = sink
    return {
      written: writes.then(
        () => opened?.end(),
        async (err: unknown) => {
          await opened?.abort()
          throw err
        },
      ),
    }
  }

  const done = (async () => {
    for await (const entry of extract) {
      const header = entry.header as Header
      // Even an authenticated sender does not get to make this process hold gigabytes.
      if ((header.size ?? 0) > MAX_ENTRY_BYTES) throw new Error(`payload entry larger than ${MAX_ENTRY_BYTES} bytes`)
      const pax = new Map(Object.entries(header.pax ?? {}).map(([k, v]) => [k, String(v)]))
      const size = header.size ?? 0
      if (o.scans && header.type === 'file' && pax.get(PAX_CODING) === 'sm4-gcm') {
        queue((await streamScan(header.name, size, pax, entry as AsyncIterable<Buffer>)).written, 0)
      } else {
        // The entry lands in one buffer of its declared size.
        const stored = Buffer.allocUnsafe(size)
        let filled = 0
        for await (const piece of entry as AsyncIterable<Buffer>) {
          if (filled + piece.length > size) throw new Error('payload entry longer than its header says')
          piece.copy(stored, filled)
          filled += piece.length
        }
        if (header.type !== 'file') continue
        if (filled !== size) throw new Error('payload entry shorter than its header says')
        const decoded = decodeEntry(stored, pax, ctr)
        decoded.catch(() => undefined) // awaited in turn below
        queue(
          handing.then(async () => {
            const { data, coding } = await decoded
            await onEntry(header.name, data, coding)
          }),
          size,
        )
      }
      while (decoding.length > DECODE_AHEAD_ENTRIES || (decoding.length > 1 && ahead > DECODE_AHEAD)) {
        const oldest = decoding.shift()!
        await oldest.handed
        ahead -= oldest.bytes
      }
    }
    await handing
  })()
  let failure: unknown
  done.catch((err: unknown) => {
    failure = err
  })
  return {
    async write(plain) {
      if (failure) throw failure
      if (!extract.write(plain)) await Promise.race([once(extract, 'drain'), done])
      if (failure) throw failure
    },
    async end() {
      extract.end(undefined as never)
      await done
    },
  }
}
