// Worker-thread entry of the crypto pool: runs jobs as they come and hands results back without copying.
import { parentPort } from 'node:worker_threads'
import { AppError } from '../shared/app-error'
import { bulkBytesHandled } from '../shared/garbage'
import { runCryptoJob, type CryptoJob } from './crypto-jobs'
import { transferable } from './crypto-buffers'

parentPort!.on('message', ({ id, job }: { id: number; job: CryptoJob }) => {
  try {
    const result = runCryptoJob(job)
    parentPort!.postMessage({ id, result }, transferable(result.bytes))
  } catch (err) {
    // An AppError (a scan that no longer opens with this installation's key) keeps its code across the boundary.
    const { code, details } = err instanceof AppError ? err : { code: undefined, details: undefined }
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err), code, details })
  }
  bulkBytesHandled('data' in job ? job.data.length * 4 : 0) // (the pure-JS library leaves a few copies per byte)
})
