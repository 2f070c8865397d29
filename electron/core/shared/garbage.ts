// Big short-lived buffers (package chunks, pieces of scans) pile up: V8 frees an ArrayBuffer's memory only when a
// collection finds its wrapper dead, and collects for buffer memory alone only once some 64 MB have accumulated,
// per thread. Streaming hundreds of MB through two workers and the main thread would then cost hundreds of MB of
// garbage. So code that moves bulk bytes reports them here, and every STEP bytes a collection returns the memory.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

const STEP = 8 << 20
let collect: (() => void) | null | undefined
let moved = 0

function collector() {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc')
      collect = runInNewContext('gc') as typeof collect
    } catch {
      collect = null // not allowed here: memory is then merely higher
    }
  }
  return collect
}

/** Notes `bytes` of bulk data handled by this thread; collects every few MB. */
export function bulkBytesHandled(bytes: number): void {
  moved += bytes
  if (moved < STEP) return
  moved = 0
  collector()?.() // (a full collection: V8's gc() ignores a request for a minor one here)
}
