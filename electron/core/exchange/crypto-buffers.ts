// Buffers crossing between the main thread and the crypto workers.

/** The buffer to move rather than copy, when the view owns all of it (a pooled slab must never be detached). */
export function transferable(bytes: Uint8Array | null | undefined): ArrayBuffer[] {
  if (!bytes || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) return []
  return [bytes.buffer]
}

/** A Buffer over the same memory (what arrives from another thread is a plain Uint8Array). */
export const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

/**
 * Reusable shared memory for records on their way through the crypto workers when nothing comes back but a verdict
 * (a tag checked): slot i serves record i, i + n, …, so a pipeline holding fewer than n records in flight never
 * reads over one still being checked. Nothing is allocated per record, nothing moves between threads, nothing is
 * left for a collection.
 */
export class SharedRing {
  private readonly memory: SharedArrayBuffer
  constructor(
    private readonly slots: number,
    private readonly slotBytes: number,
  ) {
    this.memory = new SharedArrayBuffer(slots * slotBytes)
  }
  /** The first `length` bytes of the slot for record `index`. */
  slot(index: number, length: number): Buffer {
    if (length > this.slotBytes) throw new Error('record larger than its slot')
    return Buffer.from(this.memory, (index % this.slots) * this.slotBytes, length)
  }
}

/**
 * At most `count` equal pieces of shared memory, made as they are first needed, lent and given back: taking one when
 * all are out waits until one is given back. What flows through the crypto workers in them is neither copied nor
 * moved between threads, and nothing of it is left for a collection (a SharedArrayBuffer dropped is not counted by
 * V8 towards its next collection: it would stay until one happens for other reasons).
 */
export class SharedSlots {
  private readonly free: Buffer[] = []
  private readonly waiting: Array<(b: Buffer) => void> = []
  private made = 0
  constructor(
    private readonly count: number,
    private readonly bytes: number,
  ) {}
  take(): Promise<Buffer> {
    const b = this.free.pop()
    if (b) return Promise.resolve(b)
    if (this.made < this.count) {
      this.made++
      return Promise.resolve(Buffer.from(new SharedArrayBuffer(this.bytes)))
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }
  give(b: Buffer): void {
    const next = this.waiting.shift()
    if (next) next(b)
    else this.free.push(b)
  }
}
