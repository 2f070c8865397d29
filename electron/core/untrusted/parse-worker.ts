// The parse worker's entry (see parse-in-worker.ts): reads one file from outside and sends what it found in
// batches, never more than the host's credits ahead of it.
import { parentPort } from 'node:worker_threads'
import { parseWorkbook } from '../catalog/record-workbook'
import { extractPlanText, planOf } from '../supervision/plan-text'
import { AppError } from '../shared/app-error'
import type { HostMessage, ParseJob, WorkerMessage } from './parse-protocol'
import { payloadCollector } from '../exchange/payload-collect'
import type { PayloadHostMessage, PayloadWorkerMessage } from './payload-in-worker'

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
  for await (const event of parseWorkbook(job.path, job.fields, job.minColumns)) {
    batch.push(event)
    if (batch.length >= BATCH) {
      await send(batch)
      batch = []
    }
  }
  if (batch.length) await send(batch)
}

let collector: ReturnType<typeof payloadCollector> | null = null
const reply = (m: PayloadWorkerMessage) => port.postMessage(m)
const failed = (err: unknown) => reply({ t: 'payload-error', message: err instanceof Error ? err.message : String(err) })

/** A package payload being imported: chunks in, the collected tables out (see payload-in-worker.ts). */
function onPayload(m: PayloadHostMessage): void {
  if (m.t === 'payload-start') collector = payloadCollector(m.maxBytes)
  else if (m.t === 'payload-chunk')
    collector!.reader
      .write(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength))
      .then(() => reply({ t: 'payload-ack' }), failed)
  else collector!.reader.end().then(() => reply({ t: 'payload-done', result: collector!.result() }), failed)
}

port.on('message', (m: HostMessage | PayloadHostMessage) => {
  if (m.t.startsWith('payload-')) return onPayload(m as PayloadHostMessage)
  if (m.t === 'pull') {
    credits++
    wake?.()
    wake = null
    return
  }
  const start = m as Extract<HostMessage, { t: 'start' }>
  credits = start.credits
  run(start.job).then(
    () => port.postMessage({ t: 'done' } satisfies WorkerMessage<unknown>),
    (err: unknown) => {
      const e =
        err instanceof AppError
          ? { code: err.code, message: err.message, details: err.details }
          : { message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
      port.postMessage({ t: 'error', error: e } satisfies WorkerMessage<unknown>)
    },
  )
})
