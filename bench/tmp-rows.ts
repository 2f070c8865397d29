import { openDatabase } from '../electron/core/shared/open-database'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { dataEntries, currentWatermark, ZERO_WATERMARK } from '../electron/core/exchange/exchange-data'
async function main() {
  const dir = process.argv[2]!
  const { db } = await openDatabase(dir)
  const keys = await loadFieldKeys(db, dir, noProtector)
  const to = await currentWatermark(db, Date.now())
  let t = performance.now(), n = 0, bytes = 0
  const counts = {}
  for await (const e of dataEntries({ db, keys, dataDir: dir } as never, ZERO_WATERMARK, to, counts, ['records'])) { n++; bytes += 'data' in e ? e.data.length : 0 }
  console.log('entries', n, 'bytes', bytes, ((performance.now() - t) / 1000).toFixed(2), 's', counts)
  await db.destroy()
}
void main()
