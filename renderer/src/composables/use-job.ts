import { onBeforeUnmount, shallowRef, type ShallowRef } from 'vue'
import { presentError } from '../api/client'

const POLL_MS = 250

export interface JobHandle<J> {
  /** The job as main last reported it (null before one starts). */
  job: ShallowRef<J | null>
  /** Shows `next` (a job main just started, committed or cancelled) and polls until it stops running. */
  follow(next: J): void
}

/**
 * A background job in main (record import, package export/import) followed by polling: its view refreshes every
 * 250 ms while it runs, `onSettled` runs once when it stops, and polling ends with the component.
 */
export function useJob<J extends { id: string; state: string }>(
  fetchJob: (jobId: string) => Promise<J>,
  onSettled: (job: J) => void | Promise<void>,
): JobHandle<J> {
  const job: ShallowRef<J | null> = shallowRef(null)
  let timer: ReturnType<typeof setTimeout> | undefined

  function poll() {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      if (!job.value) return
      try {
        job.value = await fetchJob(job.value.id)
      } catch (err) {
        presentError(err)
        return
      }
      if (job.value.state === 'running') poll()
      else await onSettled(job.value)
    }, POLL_MS)
  }

  onBeforeUnmount(() => clearTimeout(timer))

  return {
    job,
    follow(next: J) {
      job.value = next
      poll()
    },
  }
}
