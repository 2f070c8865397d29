// What a package carries, inside the encryption: a POSIX tar stream (any tar tool lists it once decrypted).
//   tables/<table>/<part>.ndjson   rows, one JSON object per line, at most PART_ROWS rows per part
//   attachments/<sm3>              files referred to by rows (stamped scans), by content digest
//   manifest.json                  last: kind, counts per table, bytes and SM3 of every entry
// Each module adds its tables here without changing the format.
import { once } from 'node:events'
import { pack as tarPack, extract as tarExtract, type Header } from 'tar-stream'
import { cryptoPool } from './crypto-pool'

export const PART_ROWS = 1000

export interface Manifest {
  kind: string
  counts: Record<string, number>
  entries: Array<{ name: string; bytes: number; sm3: string }>
  attachments: number
  [extra: string]: unknown
}

export type PayloadEntry =
  | {
      name: string
      data: Buffer
      /** The entry's SM3 where it is already known. */
      sm3?: string
    }
  /** An entry streamed in pieces (a scan opened piece by piece): its size and SM3 known beforehand. */
  | { name: string; size: number; sm3: string; pieces: AsyncIterable<Buffer> }

/** One file in a tar stream, its size known beforehand and its bytes streamed in pieces. */
export interface TarEntry {
  name: string
  size: number
  pieces: AsyncIterable<Buffer> | Iterable<Buffer>
}

/**
 * A POSIX tar stream of the entries. Pull-based: each entry is packed and its bytes handed on before the next entry
 * is read, so memory holds one piece at a time, whatever the total.
 */
export async function* tarStream(entries: AsyncIterable<TarEntry>): AsyncGenerator<Uint8Array> {
  const pack = tarPack()
  function* drain(): Generator<Uint8Array> {
    for (let piece = pack.read(); piece !== null; piece = pack.read()) yield piece as Uint8Array
  }
  // The packer accepts an entry only as its output is read: read while the entry goes in.
  for await (const { name, size, pieces } of entries) {
    let settled = false
    let failure: Error | null | undefined
    const entry = pack.entry({ name, size, mtime: new Date(0) }, (err) => {
      settled = true
      failure = err
    })
    for await (const piece of pieces) {
      entry.write(piece)
      yield* drain()
    }
    entry.end(undefined as never) // (the typings want an argument streamx does not need)
    while (!settled) {
      yield* drain()
      const stop = new AbortController()
      // (the timer only guards against a 'readable' that fired between the drain and the wait)
      await Promise.race([once(pack, 'readable', { signal: stop.signal }).catch(() => undefined), new Promise((r) => setTimeout(r, 20))])
      stop.abort()
    }
    if (failure) throw failure
    yield* drain()
  }
  pack.finalize()
  for await (const piece of pack) yield piece as Uint8Array
}

/**
 * The tar bytes of the entries, then the manifest listing each entry's size and SM3 (the SM3 of a whole entry is
 * taken by a worker while its bytes go on into the tar; a streamed entry brings its own).
 */
export function payloadStream(entries: AsyncIterable<PayloadEntry>, manifest: Omit<Manifest, 'entries'>): AsyncGenerator<Uint8Array> {
  async function* listed(): AsyncGenerator<TarEntry> {
    const listing: Manifest['entries'] = []
    const hashing: Array<Promise<unknown>> = [] // (each job holds a copy: four at a time)
    for await (const e of entries) {
      if ('pieces' in e) {
        listing.push({ name: e.name, bytes: e.size, sm3: e.sm3 })
        yield { name: e.name, size: e.size, pieces: e.pieces }
        continue
      }
      const entry = { name: e.name, bytes: e.data.length, sm3: e.sm3 ?? '' }
      listing.push(entry)
      if (e.sm3 === undefined) {
        while (hashing.length >= 4) await hashing.shift()
        const job = cryptoPool()
          .run({ op: 'sm3', data: e.data })
          .then((r) => (entry.sm3 = r.sm3!))
        job.catch(() => undefined) // awaited in turn; this only keeps an early failure from counting as unhandled
        hashing.push(job)
      }
      yield { name: e.name, size: e.data.length, pieces: [e.data] }
    }
    await Promise.all(hashing)
    const attachments = listing.filter((e) => e.name.startsWith('attachments/')).length
    const manifestBytes = Buffer.from(JSON.stringify({ ...manifest, attachments, entries: listing }, null, 1))
    yield { name: 'manifest.json', size: manifestBytes.length, pieces: [manifestBytes] }
  }
  return tarStream(listed())
}

/** Rows as NDJSON parts: tables/<table>/000001.ndjson … */
export async function* tableParts(
  table: string,
  rows: AsyncIterable<Record<string, unknown>>,
  counts: Record<string, number>,
): AsyncGenerator<PayloadEntry> {
  let lines: string[] = []
  let part = 0
  counts[table] = 0
  const flush = () => ({ name: `tables/${table}/${String(++part).padStart(6, '0')}.ndjson`, data: Buffer.from(lines.join('')) })
  for await (const row of rows) {
    lines.push(JSON.stringify(row) + '\n')
    counts[table]!++
    if (lines.length === PART_ROWS) {
      yield flush()
      lines = []
    }
  }
  if (lines.length) yield flush()
}

/** A payload of rows held in memory (receipts, issued tasks, catalog updates: small by nature). */
export function tablesPayload(kind: string, tables: Record<string, Array<Record<string, unknown>>>): AsyncGenerator<Uint8Array> {
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

/** The largest entry a reader takes whole: a part of PART_ROWS rows, or a scan (at most 20 MB). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024

/** Reads the tar stream, handing each entry (whole, and refused past MAX_ENTRY_BYTES) to `onEntry`. */
export function payloadReader(onEntry: (name: string, data: Buffer) => void | Promise<void>): PayloadReader {
  const extract = tarExtract()
  const done = (async () => {
    for await (const entry of extract) {
      const header = entry.header as Header
      // Even an authenticated sender does not get to make this process hold gigabytes.
      if ((header.size ?? 0) > MAX_ENTRY_BYTES) throw new Error(`payload entry larger than ${MAX_ENTRY_BYTES} bytes`)
      const parts: Buffer[] = []
      for await (const piece of entry) parts.push(piece as Buffer)
      if (header.type === 'file') await onEntry(header.name, Buffer.concat(parts))
    }
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
