// A set-up county data folder with demo data that knows the city's key, and the city's key files: the starting
// point of the package tests. The folder is handed back unlocked, so a child process may take it.
import { join } from 'node:path'
import { expect } from 'vitest'
import { main } from '../../electron/cli/index'
import { manualClock } from '../../electron/core/shared/clock'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { completeSetup } from '../../electron/core/system/setup'
import { SETUP, tempDir } from '../helpers'

const quiet = { log: () => {}, error: () => {} }

export async function countyWithCity(seed: { records: number; people: number }): Promise<{ dataDir: string; keysDir: string }> {
  const dataDir = tempDir()
  const keysDir = tempDir()
  const { db } = await openDatabase(dataDir)
  await completeSetup(db, manualClock(Date.parse('2026-11-23T02:00:00Z')), SETUP)
  await db.destroy()
  expect(
    await main(['demo', 'seed', '--records', String(seed.records), '--people', String(seed.people), '--data-dir', dataDir], quiet),
  ).toBe(0)
  await main(['keys', 'generate', '--out', keysDir, '--name', 'city'], quiet)
  await main(['keys', 'import-peer', join(keysDir, 'city.pub.pem'), '--name', '市信用办', '--data-dir', dataDir], quiet)
  await main(['keys', 'export-public', '--out', join(keysDir, 'county.pub.pem'), '--data-dir', dataDir], quiet)
  unlockDataDir(dataDir)
  return { dataDir, keysDir }
}
