// The worker pool that package crypto runs in: the same bytes as in-thread, results in order, errors that keep
// their code, and a sealed scan opened piece by piece within one worker (what an export streams into a package).
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../electron/contract/errors'
import { runCryptoJob } from '../../electron/core/exchange/crypto-jobs'
import { CryptoPool, OrderedPipeline } from '../../electron/core/exchange/crypto-pool'
import { randomBytes, sm4Ctr } from '../../electron/core/exchange/gm'
import { ctrInPool } from '../../electron/core/exchange/payload'
import { SEALED_FILE_HEAD, sealBytes, sealedFileHead } from '../../electron/core/security/field-crypto'

const keys = { enc: randomBytes(16), mac: randomBytes(32) }
const aad = randomBytes(41)
const fieldKeys = { encKey: randomBytes(16), indexKey: randomBytes(32) }

async function withPool<T>(use: (pool: CryptoPool) => Promise<T>): Promise<T> {
  const pool = new CryptoPool(2)
  try {
    return await use(pool)
  } finally {
    await pool.close()
  }
}

describe('crypto pool', () => {
  it('seals in worker threads exactly as in-thread, and what it seals opens', async () => {
    await withPool(async (pool) => {
      const plain = randomBytes(300_001)
      const inThread = runCryptoJob({ op: 'seal', suite: 'SM2-SM3-SM4', keys, aad, index: 7, data: plain }).bytes!
      const sealed = (await pool.run({ op: 'seal', suite: 'SM2-SM3-SM4', keys, aad, index: 7, data: Buffer.from(plain) })).bytes!
      expect(pool.started).toBeGreaterThan(0)
      expect(sealed.equals(inThread)).toBe(true)
      const opened = await pool.run({ op: 'open', suite: 'SM2-SM3-SM4', keys, aad, index: 7, data: sealed, decrypt: true })
      expect(opened.bytes!.equals(plain)).toBe(true)
      // Under another position's associated data (a reordered chunk) it does not open.
      expect(
        (await pool.run({ op: 'open', suite: 'SM2-SM3-SM4', keys, aad: randomBytes(41), index: 8, data: sealed, decrypt: true })).bytes,
      ).toBeNull()
    })
  })

  it.each(['SM2-SM3-SM4', 'X25519-Ed25519-AES256GCM'] as const)(
    'seals a record where it lies (%s): the same ciphertext and tag as sealing into new memory, over many slices',
    async (suiteName) => {
      const suiteKeys = suiteName === 'SM2-SM3-SM4' ? keys : { enc: randomBytes(32), mac: Buffer.alloc(0) }
      await withPool(async (pool) => {
        for (const length of [0, 15, 65_536, 65_537, 1_048_576]) {
          const plain = randomBytes(length)
          const expected = runCryptoJob({ op: 'seal', suite: suiteName, keys: suiteKeys, aad, index: 3, data: plain }).bytes!
          const shared = Buffer.from(new SharedArrayBuffer(length + 8))
          shared.fill(9)
          plain.copy(shared, 4)
          const data = shared.subarray(4, 4 + length)
          const tag = (await pool.run({ op: 'seal-in-place', suite: suiteName, keys: suiteKeys, aad, index: 3, data })).bytes!
          expect(Buffer.concat([data, tag]).equals(expected)).toBe(true)
          expect([...shared.subarray(0, 4), ...shared.subarray(4 + length)].every((b) => b === 9)).toBe(true)
        }
      })
    },
  )

  it('SM4-CTR spread over the workers equals one pass in this thread, in shared memory decrypted where it lies', async () => {
    const key = randomBytes(16)
    const iv = Buffer.concat([randomBytes(12), Buffer.from([0, 0, 0, 2])]) // as SM4-GCM counts: a scan's body
    const data = randomBytes(2 * 1_048_576 + 1_000_003)
    const expected = sm4Ctr(key, iv, data, { native: false })
    expect((await ctrInPool(key, iv, Buffer.from(data))).equals(expected)).toBe(true)
    // As a scan arrives: its ciphertext 28 bytes into a shared buffer, the bytes around it left alone.
    const shared = Buffer.from(new SharedArrayBuffer(data.length + 40))
    shared.fill(7)
    data.copy(shared, 28)
    const view = shared.subarray(28, 28 + data.length)
    const opened = await ctrInPool(key, iv, view)
    expect(opened).toBe(view)
    expect(opened.equals(expected)).toBe(true)
    expect([...shared.subarray(0, 28), ...shared.subarray(28 + data.length)].every((b) => b === 7)).toBe(true)
  })

  it('a job waits in the pool, not in a busy worker: it goes before background pieces queued earlier', async () => {
    const pool = new CryptoPool(1)
    try {
      const done: string[] = []
      const key = randomBytes(16)
      const jobs = Array.from({ length: 6 }, (_, i) =>
        pool
          .run({ op: 'ctr', key, iv: randomBytes(16), data: randomBytes(1 << 20) }, [], { background: true })
          .then(() => void done.push(`piece ${i}`)),
      )
      const record = pool.run({ op: 'sm3', data: randomBytes(1000) }).then(() => void done.push('record'))
      await Promise.all([...jobs, record])
      // The worker held two pieces (the one it ran and the next); the record was posted as soon as one finished.
      expect(done).toEqual(['piece 0', 'piece 1', 'record', 'piece 2', 'piece 3', 'piece 4', 'piece 5'])
    } finally {
      await pool.close()
    }
  })

  it('hands results on in submission order with a bounded number in flight', async () => {
    const pipeline = new OrderedPipeline<number>(3)
    let inFlight = 0
    let most = 0
    const got: number[] = []
    for (let i = 0; i < 12; i++) {
      const ready = await pipeline.push(async () => {
        most = Math.max(most, ++inFlight)
        await new Promise((r) => setTimeout(r, ((12 - i) % 4) * 3)) // later jobs often finish first
        inFlight--
        return i
      })
      got.push(...ready)
    }
    got.push(...(await pipeline.drain()))
    expect(got).toEqual([...Array(12).keys()])
    expect(most).toBeLessThanOrEqual(3)
  })

  it('a scan that does not open keeps its error code across the thread boundary', async () => {
    await withPool(async (pool) => {
      const sealed = sealBytes(fieldKeys, randomBytes(1000), 'attachments')
      const wrongKey = randomBytes(16)
      await expect(pool.run({ op: 'open-sealed-file', encKey: wrongKey, context: 'attachments', data: sealed })).rejects.toMatchObject({
        code: ErrorCode.FieldDecryptFailed,
      })
    })
  })

  it('opens a sealed scan piece by piece in one worker; a tampered one fails at the end', async () => {
    await withPool(async (pool) => {
      const plain = randomBytes(3 * 65536 + 77)
      const sealed = sealBytes(fieldKeys, plain, 'attachments')
      const stream = async (file: Buffer) => {
        const { session, run } = pool.pinned()
        const head = sealedFileHead(fieldKeys, file.subarray(0, SEALED_FILE_HEAD), 'attachments')
        const at = head.bodyStart
        await run({ op: 'file-begin', session, ...head, context: 'attachments', length: file.length - at, decrypt: true })
        const pieces = await Promise.all(
          [0, 1, 2, 3].map((i) =>
            run({ op: 'file-piece', session, data: file.subarray(at + i * 65536, Math.min(file.length, at + (i + 1) * 65536)) }),
          ),
        )
        await run({ op: 'file-end', session })
        return Buffer.concat(pieces.map((p) => p.bytes!))
      }
      expect((await stream(sealed)).equals(plain)).toBe(true)
      const tampered = Buffer.from(sealed)
      tampered[100_000] = tampered[100_000]! ^ 1
      await expect(stream(tampered)).rejects.toMatchObject({ code: ErrorCode.FieldDecryptFailed })
    })
  })
})
