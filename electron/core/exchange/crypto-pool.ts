// A small pool of worker threads for package crypto. Pure-JS SM4/SM3 (all Electron has) costs tens of ms per MiB:
// on the main process that would stall every IPC call for the length of an export, and it would use one core.
// Jobs go to the least-busy worker; each worker holds the event loop open only while it has work.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { workerScript } from '../shared/worker-script'
import { prepareCryptoJob, runCryptoJob, type CryptoJob, type CryptoResult } from './crypto-jobs'
import { asBuffer, transferable } from './crypto-buffers'

interface Slot {
  worker: Worker
  busy: number
  pending: Map<number, { resolve: (r: WireResult) => void; reject: (e: Error) => void }>
}

/** A result as it arrives from a worker (a Buffer comes over as a plain Uint8Array). */
type WireResult = Omit<CryptoResult, 'bytes'> & { bytes: Uint8Array | null }

interface Queued {
  job: CryptoJob
  transfer: Uint8Array[]
  resolve: (r: WireResult) => void
  reject: (e: Error) => void
}

/** Jobs a worker holds at once: the one it runs and the next, so it never waits for a message between them. */
const PER_WORKER = 2

/** The worker's script, unless turned off (jobs then run in this thread). */
function cryptoWorkerScript(): { script: string; eval: boolean } | null {
  return process.env.CREDIT_DESK_CRYPTO_WORKERS === '0' ? null : workerScript('crypto-worker', __dirname)
}

async function inThread(job: CryptoJob): Promise<CryptoResult> {
  await prepareCryptoJob(job)
  return runCryptoJob(job)
}

export class CryptoPool {
  private slots: Slot[] = []
  private nextId = 1
  private nextSession = 1
  private readonly script = cryptoWorkerScript()
  // Jobs wait here, not in a worker's message queue, until a worker has room: a job posted now is not stuck behind
  // twenty pieces of a scan another worker could have taken, and a package's next record goes before those pieces.
  private readonly waiting: Queued[] = []
  private readonly background: Queued[] = []

  constructor(readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  /** Jobs that may usefully be in flight at once (enough to keep every worker fed). */
  get depth(): number {
    return this.script ? this.size * 2 : 1
  }

  /**
   * Runs a job in the first worker with room. A background job (a scan decrypted while the package is read on) runs
   * only when no other job is waiting.
   */
  async run(job: CryptoJob, transfer: Uint8Array[] = [], o: { background?: boolean } = {}): Promise<CryptoResult> {
    if (!this.script) return inThread(job)
    const result = await new Promise<WireResult>((resolve, reject) => {
      ;(o.background ? this.background : this.waiting).push({ job, transfer, resolve, reject })
      this.dispatch()
    })
    return { ...result, bytes: result.bytes && asBuffer(result.bytes) }
  }

  /**
   * A runner whose jobs all go to one worker, in order: for jobs that carry state from one to the next (a sealed
   * file opened piece by piece). Its session number ties the jobs together.
   */
  pinned(): { session: number; run: (job: CryptoJob, transfer?: Uint8Array[]) => Promise<CryptoResult> } {
    const session = this.nextSession++
    if (!this.script) return { session, run: inThread }
    const slot = this.slotWithRoom(Infinity)!
    return {
      session,
      run: async (job, transfer = []) => {
        if (!this.slots.includes(slot)) throw new Error('crypto worker gone')
        const result = await new Promise<WireResult>((resolve, reject) => this.post(slot, { job, transfer, resolve, reject }))
        return { ...result, bytes: result.bytes && asBuffer(result.bytes) }
      },
    }
  }

  private dispatch(): void {
    for (;;) {
      const queue = this.waiting.length ? this.waiting : this.background
      if (!queue.length) return
      const slot = this.slotWithRoom(PER_WORKER)
      if (!slot) return
      this.post(slot, queue.shift()!)
    }
  }

  private post(slot: Slot, q: Queued): void {
    const id = this.nextId++
    if (slot.busy++ === 0) slot.worker.ref()
    const settle = () => {
      slot.pending.delete(id)
      if (--slot.busy === 0) slot.worker.unref()
      this.dispatch()
    }
    slot.pending.set(id, {
      resolve: (r) => {
        settle()
        q.resolve(r)
      },
      reject: (e) => {
        settle()
        q.reject(e)
      },
    })
    slot.worker.postMessage({ id, job: q.job }, q.transfer.flatMap(transferable))
  }

  /** An idle worker, a new one while fewer than `size` run, else the least busy one holding fewer than `limit` jobs. */
  private slotWithRoom(limit: number): Slot | null {
    const idle = this.slots.find((s) => s.busy === 0)
    if (idle) return idle
    if (this.slots.length < this.size) return this.spawn()
    const least = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a))
    return least.busy < limit ? least : null
  }

  private spawn(): Slot {
    // A small young generation: a worker's objects are all short-lived wrappers of big buffers, freed sooner this way.
    const worker = new Worker(this.script!.script, { eval: this.script!.eval, resourceLimits: { maxYoungGenerationSizeMb: 2 } })
    const slot: Slot = { worker, busy: 0, pending: new Map() }
    worker.on('message', (m: { id: number; result?: WireResult; error?: string; code?: ErrorCode; details?: Record<string, unknown> }) => {
      const p = slot.pending.get(m.id)
      if (m.error !== undefined) p?.reject(m.code ? new AppError(m.code, m.error, m.details) : new Error(m.error))
      else p?.resolve(m.result!)
    })
    const fail = (err: Error) => {
      this.slots = this.slots.filter((s) => s !== slot) // first: the queued jobs that follow go to other workers
      for (const p of [...slot.pending.values()]) p.reject(err)
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`crypto worker exited (${code})`)))
    worker.unref()
    this.slots.push(slot)
    return slot
  }

  /** Workers started so far (none where jobs run in-thread). */
  get started(): number {
    return this.slots.length
  }

  async close(): Promise<void> {
    const slots = this.slots
    this.slots = []
    for (const q of this.waiting.splice(0).concat(this.background.splice(0))) q.reject(new Error('crypto pool closed'))
    await Promise.all(slots.map((s) => s.worker.terminate()))
  }
}

let shared: CryptoPool | undefined
/** The process-wide pool (workers start on first use and cost nothing while idle). */
export function cryptoPool(): CryptoPool {
  return (shared ??= new CryptoPool())
}

/**
 * Runs jobs in order with up to `depth` in flight, handing results on in submission order: a pipeline whose memory
 * is bounded by depth, whatever the number of jobs.
 */
export class OrderedPipeline<T> {
  private queue: Array<Promise<T>> = []
  constructor(private readonly depth: number) {}

  /** Adds a job; when the pipeline is full, first waits for and returns the oldest result(s). */
  async push(start: () => Promise<T>): Promise<T[]> {
    const ready: T[] = []
    while (this.queue.length >= this.depth) ready.push(await this.queue.shift()!)
    const p = start()
    p.catch(() => undefined) // awaited later, in order; this only keeps an early failure from being "unhandled"
    this.queue.push(p)
    return ready
  }

  async drain(): Promise<T[]> {
    const ready: T[] = []
    while (this.queue.length) ready.push(await this.queue.shift()!)
    return ready
  }

  /** Lets in-flight jobs settle quietly after a failure elsewhere. */
  abandon(): void {
    this.queue = []
  }
}
