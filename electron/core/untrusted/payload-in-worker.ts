// The decrypted payload of a package being imported is parsed (tar, NDJSON, SM3 of each entry) in a worker with the
// same heap cap as other files from outside; the main thread only feeds it verified, decrypted chunks.
import { Worker } from 'node:worker_threads'
import type { CollectedPayload } from '../exchange/payload-collect'
import { workerScript } from '../shared/worker-script'
import { WORKER_HEAP_MB, WORKER_YOUNG_MB } from './limits'

export type PayloadHostMessage = { t: 'payload-start'; maxBytes: number } | { t: 'payload-chunk'; data: Uint8Array } | { t: 'payload-end' }
export type PayloadWorkerMessage =
  { t: 'payload-ack' } | { t: 'payload-done'; result: CollectedPayload } | { t: 'payload-error'; message: string }

export class PayloadInWorker {
  private readonly worker: Worker
  private waiting: { resolve: (m: PayloadWorkerMessage) => void; reject: (e: Error) => void } | null = null
  private failure: Error | null = null

  constructor(maxBytes: number) {
    const script = workerScript('parse-worker', __dirname)
    if (!script) throw new Error('parse-worker script not found')
    this.worker = new Worker(script.script, {
      eval: script.eval,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB, stackSizeMb: 4 },
    })
    this.worker.on('message', (m: PayloadWorkerMessage) => this.settle(m.t === 'payload-error' ? new Error(m.message) : m))
    this.worker.on('error', (err) => this.settle(err))
    this.worker.on('exit', () => this.settle(new Error('payload worker exited')))
    this.worker.postMessage({ t: 'payload-start', maxBytes } satisfies PayloadHostMessage)
  }

  private settle(outcome: PayloadWorkerMessage | Error): void {
    if (outcome instanceof Error) this.failure ??= outcome
    const w = this.waiting
    this.waiting = null
    if (!w) return
    if (outcome instanceof Error) w.reject(this.failure!)
    else w.resolve(outcome)
  }

  private next(message: PayloadHostMessage, transfer: ArrayBuffer[] = []): Promise<PayloadWorkerMessage> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject }
      this.worker.postMessage(message, transfer)
    })
  }

  /** Hands on one decrypted chunk; resolves once the worker has taken it in (one chunk in flight). */
  async write(chunk: Buffer): Promise<void> {
    const copy = new Uint8Array(chunk) // its own buffer, moved to the worker
    await this.next({ t: 'payload-chunk', data: copy }, [copy.buffer as ArrayBuffer])
  }

  async end(): Promise<CollectedPayload> {
    try {
      const m = await this.next({ t: 'payload-end' })
      if (m.t !== 'payload-done') throw new Error('unexpected reply')
      return m.result
    } finally {
      await this.stop()
    }
  }

  async stop(): Promise<void> {
    this.failure ??= new Error('stopped')
    await this.worker.terminate()
  }
}
