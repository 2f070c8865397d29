// Worker-thread entry of the crypto pool: runs jobs as they come and hands results back without copying.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort } from 'node:worker_threads'
import { AppError } from '../shared/app-error'
import { runCryptoJob, type CryptoJob } from './crypto-jobs'
import { transferable } from './crypto-pool-transfer'

// Each MiB sealed in pure JS leaves a few MiB of garbage buffers (the library copies its input and output). V8
// collects them only once some 64 MB have piled up, per thread: with two workers and the main thread that alone
// would break the export's memory budget. So a worker collects after every GARBAGE_STEP bytes it has handled.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void
const GARBAGE_STEP = 8 << 20
let handled = 0

parentPort!.on('message', ({ id, job }: { id: number; job: CryptoJob }) => {
  try {
    const result = runCryptoJob(job)
    parentPort!.postMessage({ id, result }, transferable(result.bytes))
    handled += 'data' in job ? job.data.length : 0
  } catch (err) {
    // An AppError (a scan that no longer opens with this installation's key) keeps its code across the boundary.
    const { code, details } = err instanceof AppError ? err : { code: undefined, details: undefined }
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err), code, details })
  }
  if (handled >= GARBAGE_STEP) {
    handled = 0
    collect()
  }
})
