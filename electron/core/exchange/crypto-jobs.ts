// The CPU-heavy steps of a package, as self-contained jobs: a worker thread runs them (crypto-worker.ts) so the
// main process stays responsive and both cores work; the same function runs them in-thread where no worker can start.
import { ErrorCode } from '../../contract/errors'
import { openBytes } from '../security/field-crypto'
import { SealedFileOpener } from '../security/sealed-file-stream'
import { AppError } from '../shared/app-error'
import { asBuffer } from './crypto-buffers'
import { prepareHmacSm3, sm3Digest, sm3Hasher, sm4Ctr, counterAt, wasmHashesReady, type Sm3Hasher } from './gm'
import { suiteOf, type ChunkKeys, type SuiteName } from './suites'

export type CryptoJob =
  /** One chunk sealed: ciphertext || tag. */
  | { op: 'seal'; suite: SuiteName; keys: ChunkKeys; aad: Uint8Array; index: number; data: Uint8Array }
  /** One chunk's tag checked; with `decrypt`, its plaintext too (null when the tag does not match). */
  | { op: 'open'; suite: SuiteName; keys: ChunkKeys; aad: Uint8Array; index: number; data: Uint8Array; decrypt: boolean }
  /** One chunk decrypted without its tag: only for a record whose bytes are known to be ones already verified. */
  | { op: 'decrypt'; suite: SuiteName; keys: ChunkKeys; aad: Uint8Array; index: number; data: Uint8Array }
  /** One record sealed where it lies (shared memory): the tag comes back. */
  | { op: 'seal-in-place'; suite: SuiteName; keys: ChunkKeys; aad: Uint8Array; index: number; data: Uint8Array }
  /** Format 2: a record whose data is already ciphertext, authenticated: its tag. */
  | { op: 'seal-clear'; suite: SuiteName; keys: ChunkKeys; aad: Uint8Array; index: number; data: Uint8Array }
  /** Format 2: a clear record (data ‖ tag) checked: empty when its tag matches, null when not. */
  | { op: 'open-clear'; suite: SuiteName; keys: ChunkKeys; aad: Uint8Array; index: number; data: Uint8Array }
  /** SM4-CTR with a 128-bit counter from `iv` (a sealed scan decrypted piece by piece, pieces in parallel). */
  | { op: 'ctr'; key: Uint8Array; iv: Uint8Array; data: Uint8Array }
  /** The same, over a view of shared memory that is overwritten with the result (nothing is copied across threads). */
  | { op: 'ctr-in-place'; key: Uint8Array; iv: Uint8Array; data: Uint8Array }
  /** A file sealed at rest (a stamped scan) opened, with the SM3 of its plaintext. */
  | { op: 'open-sealed-file'; encKey: Uint8Array; context: string; data: Uint8Array }
  | { op: 'sm3'; data: Uint8Array }
  /**
   * A sealed file's body opened piece by piece within one worker: begin (its key, IV and tag), pieces in order, end
   * (the tag checked). With `decrypt: false` the pieces are only authenticated, and each comes back as it was sent.
   */
  | {
      op: 'file-begin'
      session: number
      key: Uint8Array
      iv: Uint8Array
      tag: Uint8Array
      context: string
      length: number
      decrypt: boolean
    }
  /**
   * A sealed file only checked against the SM3 it had when written (cheaper than its GCM tag): begin (the expected
   * SM3, the bytes before the pieces), pieces in order (each comes back as it was sent), end (mismatch: an error).
   */
  | { op: 'file-digest-begin'; session: number; expected: string; head: Uint8Array }
  | { op: 'file-piece'; session: number; data: Uint8Array }
  | { op: 'file-end'; session: number }
  /** Forgets a session that will not be finished (an export cancelled or failed mid-file). */
  | { op: 'file-drop'; session: number }

export interface CryptoResult {
  bytes: Buffer | null
  sm3?: string
}

function suite(name: SuiteName) {
  const s = suiteOf(name)
  if (!s) throw new Error(`unknown suite ${name}`)
  return s
}

function keysOf(k: ChunkKeys): ChunkKeys {
  return { enc: asBuffer(k.enc), mac: asBuffer(k.mac) }
}

type FileSession =
  { kind: 'gcm'; opener: SealedFileOpener; tag: Uint8Array; decrypt: boolean } | { kind: 'sm3'; hasher: Sm3Hasher; expected: string }
/** Bytes of a scan decrypted per library call in a worker. */
const CTR_SLICE = 64 * 1024

const sessions = new Map<number, FileSession>()
/** Hashers made ready (asynchronously) for digest sessions about to begin. */
const readyHashers = new Map<number, Sm3Hasher>()

function session(id: number) {
  const o = sessions.get(id)
  if (!o) throw new Error(`no sealed-file session ${id}`)
  return o
}

/** Readies what a job's hashing runs on in this thread (WebAssembly SM3, a keyed HMAC instance): awaited before it runs. */
export async function prepareCryptoJob(job: CryptoJob): Promise<void> {
  await wasmHashesReady()
  if (job.op === 'file-digest-begin') readyHashers.set(job.session, await sm3Hasher())
  if ('keys' in job && job.suite === 'SM2-SM3-SM4') await prepareHmacSm3(job.keys.mac)
}

export function runCryptoJob(job: CryptoJob): CryptoResult {
  switch (job.op) {
    case 'seal':
      return { bytes: suite(job.suite).sealChunk(keysOf(job.keys), job.aad, job.index, job.data) }
    case 'seal-in-place':
      return { bytes: suite(job.suite).sealInPlace(keysOf(job.keys), job.aad, job.index, job.data) }
    case 'open':
      return { bytes: suite(job.suite).openChunk(keysOf(job.keys), job.aad, job.index, job.data, job.decrypt) }
    case 'decrypt':
      return { bytes: suite(job.suite).decryptChunk(keysOf(job.keys), job.aad, job.index, job.data) }
    case 'seal-clear':
      return { bytes: suite(job.suite).tagClear(keysOf(job.keys), job.aad, job.index, job.data) }
    case 'open-clear': {
      const s = suite(job.suite)
      const data = asBuffer(job.data)
      const body = data.subarray(0, data.length - s.tagLength)
      return { bytes: s.checkClear(keysOf(job.keys), job.aad, job.index, body, data.subarray(body.length)) ? Buffer.alloc(0) : null }
    }
    case 'ctr':
      return { bytes: sm4Ctr(job.key, job.iv, job.data) }
    case 'ctr-in-place':
      // In slices: the library's copies of each stay small and die young (a scavenge frees them; a megabyte at a
      // time, they waited for a full collection).
      for (let at = 0; at < job.data.length; at += CTR_SLICE) {
        const slice = job.data.subarray(at, at + CTR_SLICE)
        job.data.set(sm4Ctr(job.key, counterAt(job.iv, at), slice), at)
      }
      return { bytes: null }
    case 'open-sealed-file': {
      const plain = openBytes({ encKey: job.encKey, indexKey: new Uint8Array(0) }, job.data, job.context)
      return { bytes: plain, sm3: sm3Digest(plain).toString('hex') }
    }
    case 'sm3':
      return { bytes: null, sm3: sm3Digest(job.data).toString('hex') }
    case 'file-begin':
      sessions.set(job.session, {
        kind: 'gcm',
        opener: new SealedFileOpener(job.key, job.iv, job.context, job.length, job.decrypt),
        tag: Buffer.from(job.tag),
        decrypt: job.decrypt,
      })
      return { bytes: null }
    case 'file-digest-begin': {
      const hasher = readyHashers.get(job.session) ?? null
      readyHashers.delete(job.session)
      if (!hasher) throw new Error('digest session not prepared')
      hasher.update(job.head)
      sessions.set(job.session, { kind: 'sm3', hasher, expected: job.expected })
      return { bytes: null }
    }
    case 'file-piece': {
      const o = session(job.session)
      if (o.kind === 'sm3') {
        o.hasher.update(job.data)
        return { bytes: asBuffer(job.data) } // only checked: the piece goes back as it came
      }
      const plain = o.opener.update(job.data)
      return { bytes: o.decrypt ? plain : asBuffer(job.data) }
    }
    case 'file-end': {
      const o = session(job.session)
      sessions.delete(job.session)
      const sound = o.kind === 'sm3' ? o.hasher.digest() === o.expected : o.opener.verify(o.tag)
      if (!sound)
        throw new AppError(
          ErrorCode.FieldDecryptFailed,
          o.kind === 'sm3' ? 'file changed since it was sealed' : 'tag mismatch or wrong key',
        )
      return { bytes: null }
    }
    case 'file-drop':
      sessions.delete(job.session)
      return { bytes: null }
  }
}
