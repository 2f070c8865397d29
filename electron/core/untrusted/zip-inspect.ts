// Looks through a zip (xlsx, docx) before any parser sees it: inflates each part as a stream, counting what it
// expands to, and stops at the first limit passed. A 400 KB file that claims a 400 MB shared string, or a docx
// that inflates to gigabytes, is refused here in bounded memory, with the limit named.
import { createReadStream } from 'node:fs'
import { createInflateRaw } from 'node:zlib'
import { Unzip, type AsyncFlateStreamHandler, type UnzipDecoder, type UnzipFile } from 'fflate'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { limitExceeded } from './limit-error'
import type { ZipLimits } from './limits'

/** Where a new cell starts, by part: its distance to the next start bounds one cell's size. */
function cellMarker(name: string): Buffer | null {
  if (name === 'xl/sharedStrings.xml') return Buffer.from('<si')
  if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) return Buffer.from('<c')
  return null
}

class PartScanner {
  private size = 0
  private lastMark = 0
  private tail = Buffer.alloc(0)

  constructor(
    readonly name: string,
    private readonly limits: ZipLimits,
    private readonly marker: Buffer | null,
    private readonly grow: (n: number) => void,
  ) {}

  feed(chunk: Uint8Array): void {
    const base = this.size - this.tail.length
    this.size += chunk.length
    this.grow(chunk.length)
    const max = this.limits.part(this.name)
    if (this.size > max) throw limitExceeded('part_size', max, { part: this.name })
    if (!this.marker) return
    // The tail keeps a marker split across two chunks findable.
    const text = this.tail.length ? Buffer.concat([this.tail, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    for (let at = text.indexOf(this.marker); at >= 0; at = text.indexOf(this.marker, at + 1)) {
      if (base + at - this.lastMark > this.limits.cell) throw limitExceeded('cell_length', this.limits.cell, { part: this.name })
      this.lastMark = base + at
    }
    if (this.size - this.lastMark > this.limits.cell) throw limitExceeded('cell_length', this.limits.cell, { part: this.name })
    this.tail = Buffer.from(text.subarray(text.length - (this.marker.length - 1)))
  }
}

const PUSH = 16 * 1024 // one push inflates to at most ~16 MB (deflate's ratio is about 1000:1)

/**
 * fflate reads the zip's structure; each deflated part goes through Node's zlib (native, on the thread pool: a third
 * of the CPU of fflate's JavaScript inflate, and the import parses the same parts again right after). Its output
 * arrives 64 KiB at a time and is checked as it comes; a part that passes a limit is destroyed there. Input waits
 * while zlib is behind (`waits`), so a large file is not queued whole.
 */
function nativeInflate(track: Set<Promise<void>>, waits: Array<Promise<void>>) {
  return class NativeInflate implements UnzipDecoder {
    static readonly compression = 8
    ondata: AsyncFlateStreamHandler = () => undefined
    private readonly z = createInflateRaw({ chunkSize: 64 * 1024 })

    constructor() {
      const settled = new Promise<void>((resolve) => {
        this.z.on('data', (d: Buffer<ArrayBuffer>) => this.ondata(null, d, false))
        this.z.on('end', () => this.ondata(null, new Uint8Array(0), true))
        this.z.on('error', (e: Error) => this.ondata(Object.assign(e, { code: 0 }), new Uint8Array(0), true))
        this.z.on('close', resolve)
      })
      track.add(settled)
    }

    push(chunk: Uint8Array, final: boolean): void {
      if (this.z.destroyed) return
      // A copy: fflate may hand over a view of memory it reuses, and zlib reads it later.
      if (!this.z.write(Buffer.from(chunk))) waits.push(this.drained())
      if (final) this.z.end()
    }

    /** Resolves once zlib wants more input, or has been destroyed. */
    private drained(): Promise<void> {
      return new Promise<void>((resolve) => {
        const done = () => {
          this.z.off('drain', done)
          this.z.off('close', done)
          resolve()
        }
        this.z.on('drain', done)
        this.z.on('close', done)
      })
    }

    terminate(): void {
      this.z.destroy()
    }
  }
}

/** Checks every part against the limits; `visit` sees each part's inflated bytes as they come (within limits). */
export async function inspectZip(
  path: string,
  limits: ZipLimits,
  visit?: (part: string, chunk: Uint8Array) => void,
): Promise<{ entries: number; total: number }> {
  let entries = 0
  let total = 0
  let failure: unknown = null
  const grow = (n: number) => {
    total += n
    if (total > limits.total) throw limitExceeded('total_size', limits.total)
  }
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return
    if (++entries > limits.entries) {
      failure = limitExceeded('entries', limits.entries)
      return
    }
    const scanner = new PartScanner(file.name, limits, cellMarker(file.name), grow)
    file.ondata = (err, chunk) => {
      if (failure) return
      if (err) failure = new AppError(ErrorCode.ImportFileRejected, `zip part unreadable: ${err.message}`, { reason: 'corrupt' })
      else {
        try {
          scanner.feed(chunk)
          visit?.(file.name, chunk)
        } catch (e) {
          failure = e
        }
      }
      if (failure) file.terminate()
    }
    try {
      file.start()
    } catch (e) {
      failure = new AppError(ErrorCode.ImportFileRejected, `zip part unsupported: ${(e as Error).message}`, { reason: 'corrupt' })
    }
  })
  const inflating = new Set<Promise<void>>()
  const waits: Array<Promise<void>> = []
  unzip.register(nativeInflate(inflating, waits))
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length && !failure; at += PUSH) {
        unzip.push(chunk.subarray(at, at + PUSH))
        while (waits.length && !failure) await waits.shift()
      }
      if (failure) break
    }
    if (!failure) unzip.push(new Uint8Array(0), true)
    await Promise.all(inflating)
  } catch (e) {
    failure ??=
      e instanceof AppError
        ? e
        : new AppError(ErrorCode.ImportFileRejected, `zip unreadable: ${(e as Error).message}`, { reason: 'corrupt' })
  }
  if (failure) throw failure
  if (entries === 0) throw new AppError(ErrorCode.ImportFileRejected, 'zip without entries', { reason: 'corrupt' })
  return { entries, total }
}
