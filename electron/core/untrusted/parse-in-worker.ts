// Files from outside are parsed in a worker thread of their own, one per file: its heap is capped, it has a
// deadline, and the process's growth is watched (inflated buffers live outside the heap). Whatever the file does
// to the parser, the worker dies alone and the caller gets a refusal naming the limit; nothing was written, since
// the caller writes only what the worker handed over, inside its own transaction.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { workerScript } from '../shared/worker-script'
import { limitExceeded } from './limit-error'
import { MAX_RSS_GROWTH, WORKER_HEAP_MB, WORKER_YOUNG_MB } from './limits'
import type { ParseJob, WorkerMessage } from './parse-protocol'

/** Batches the worker may send ahead of the consumer (memory stays bounded when checking is slower than parsing). */
const CREDITS = 4
const WATCH_MS = 200

function rebuild(e: { code?: ErrorCode; message: string; details?: Record<string, unknown> }): Error {
  return e.code
    ? new AppError(e.code, e.message, e.details)
    : new AppError(ErrorCode.ImportFileRejected, `parser failed: ${e.message}`, { reason: 'corrupt' })
}

/**
 * Runs a job in a fresh worker and yields what it sends, batch by batch. Breaking out of the loop (cancel) stops the
 * worker. Throws the worker's refusal, or a limit error when it runs out of heap, time or memory.
 */
export async function* parseInWorker<T>(job: ParseJob, deadlineMs: number): AsyncGenerator<T> {
  const script = workerScript('parse-worker', __dirname)
  if (!script) throw new Error('parse-worker script not found')
  // The worker's temporary folder is its own, removed with it whatever happened: exceljs writes a worksheet that comes
  // before the shared strings (as in files Excel saves) to a temporary file, plaintext personal data, and deletes it
  // only when the whole workbook has been read, which a reader of the first sheet, a cancel or a refusal never does.
  const scratch = mkdtempSync(join(tmpdir(), 'credit-desk-parse-'))
  const worker = new Worker(script.script, {
    eval: script.eval,
    env: { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB, stackSizeMb: 4 },
  })
  const queue: T[][] = []
  let done = false
  let failure: Error | null = null
  let wake: (() => void) | null = null
  const notify = () => {
    wake?.()
    wake = null
  }
  const fail = (err: Error) => {
    failure ??= err
    notify()
  }
  worker.on('message', (m: WorkerMessage<T>) => {
    if (m.t === 'batch') queue.push(m.items)
    else if (m.t === 'done') done = true
    else fail(rebuild(m.error))
    notify()
  })
  worker.on('error', (err: Error & { code?: string }) =>
    fail(
      err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? limitExceeded('memory', WORKER_HEAP_MB * 1024 * 1024) : rebuild({ message: err.message }),
    ),
  )
  worker.on('exit', () => {
    if (!done) fail(rebuild({ message: 'worker exited early' }))
  })
  const deadline = setTimeout(() => fail(limitExceeded('time', deadlineMs)), deadlineMs)
  const startRss = process.memoryUsage.rss()
  const watch = setInterval(() => {
    if (process.memoryUsage.rss() - startRss > MAX_RSS_GROWTH) fail(limitExceeded('memory', MAX_RSS_GROWTH))
  }, WATCH_MS)
  try {
    worker.postMessage({ t: 'start', job, credits: CREDITS })
    for (;;) {
      if (failure) throw failure
      const items = queue.shift()
      if (items) {
        worker.postMessage({ t: 'pull' })
        yield* items
        continue
      }
      if (done) return
      await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    clearTimeout(deadline)
    clearInterval(watch)
    await worker.terminate()
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** A job whose answer is one value. */
export async function parseOnce<T>(job: ParseJob, deadlineMs: number): Promise<T> {
  for await (const value of parseInWorker<T>(job, deadlineMs)) return value
  throw new AppError(ErrorCode.ImportFileRejected, 'parser gave no result', { reason: 'corrupt' })
}
