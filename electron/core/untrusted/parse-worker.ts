// The parse worker's entry (see parse-in-worker.ts): reads one file from outside and sends what it found in
// batches, never more than the host's credits ahead of it.
import { parentPort } from 'node:worker_threads'
import { parseWorkbook } from '../catalog/record-workbook'
import { extractPlanText, planOf } from '../supervision/plan-text'
import { AppError } from '../shared/app-error'
import type { HostMessage, ParseJob, WorkerMessage } from './parse-protocol'

const BATCH = 256
const port = parentPort!
let credits = 0
let wake: (() => void) | null = null

async function send(items: unknown[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve))
  credits--
  port.postMessage({ t: 'batch', items } satisfies WorkerMessage<unknown>)
}

async function run(job: ParseJob): Promise<void> {
  if (job.op === 'plan-text') return send([await extractPlanText(job.path)])
  if (job.op === 'plan') return send([planOf(await extractPlanText(job.path))])
  let batch: unknown[] = []
  for await (const event of parseWorkbook(job.path, job.fields)) {
    batch.push(event)
    if (batch.length >= BATCH) {
      await send(batch)
      batch = []
    }
  }
  if (batch.length) await send(batch)
}

port.on('message', (m: HostMessage) => {
  if (m.t === 'pull') {
    credits++
    wake?.()
    wake = null
    return
  }
  credits = m.credits
  run(m.job).then(
    () => port.postMessage({ t: 'done' } satisfies WorkerMessage<unknown>),
    (err: unknown) => {
      const e = err instanceof AppError ? { code: err.code, message: err.message, details: err.details } : { message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
      port.postMessage({ t: 'error', error: e } satisfies WorkerMessage<unknown>)
    },
  )
})
