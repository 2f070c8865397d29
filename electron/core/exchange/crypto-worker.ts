// Worker-thread entry of the crypto pool: runs jobs as they come and hands results back without copying.
import { parentPort } from 'node:worker_threads'
import { AppError } from '../shared/app-error'
import { bulkBytesHandled } from '../shared/garbage'
import { prepareCryptoJob, runCryptoJob, type CryptoJob } from './crypto-jobs'
import { transferable } from './crypto-buffers'

// Jobs run in arrival order: a job waiting for its preparation holds back the ones behind it (a pinned session's
// pieces must stay in order).
let queue: Promise<void> = Promise.resolve()
parentPort!.on('message', (message: { id: number; job: CryptoJob }) => {
  queue = queue.then(() => handle(message))
})

async function handle({ id, job }: { id: number; job: CryptoJob }): Promise<void> {
  try {
    await prepareCryptoJob(job)
    const result = runCryptoJob(job)
    parentPort!.postMessage({ id, result }, transferable(result.bytes))
  } catch (err) {
    // An AppError (a scan that no longer opens with this installation's key) keeps its code across the boundary.
    const { code, details } = err instanceof AppError ? err : { code: undefined, details: undefined }
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err), code, details })
  }
  bulkBytesHandled('data' in job ? job.data.length * garbagePerByte(job) : 0)
}

/**
 * What a job leaves behind per byte: the pure-JS SM4 a few copies; a hash the input alone; a piece sent back, or
 * bytes in shared memory (read or decrypted where they lie, in slices whose copies die young), nothing.
 */
function garbagePerByte(job: CryptoJob): number {
  if ('data' in job && job.data.buffer instanceof SharedArrayBuffer) return 0
  if (job.op === 'seal' || job.op === 'decrypt' || job.op === 'ctr' || (job.op === 'open' && job.decrypt)) return 3
  return job.op === 'file-piece' ? 0 : 1
}
