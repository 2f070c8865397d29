// Without the field key, no file in the data folder gives back a person's ID number: not in full, not as more than
// the masked digits (1–6 and 15–18), and not rebuilt from plain columns (a birth date stored beside the mask).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { createDb } from '../../db/connection'
import { personIdNumber } from '../../electron/core/archives/people'
import { openSensitiveValue } from '../../electron/core/catalog/records'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { backupDatabase, DB_FILE, openDatabase } from '../../electron/core/shared/open-database'
import { tempDir } from '../helpers'

const quiet = { log: () => {}, error: () => {} }

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
}

/** The forms a birth date takes in a column or a JSON value. */
const birthForms = (id: string) => {
  const [y, m, d] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)]
  return [`${y}${m}${d}`, `${y}-${m}-${d}`, `${y}/${m}/${d}`, `${y}年${Number(m)}月${Number(d)}日`]
}

describe('personal data at rest', () => {
  it('after demo seed, no ID number can be found in or rebuilt from any file of the data folder (database, WAL, backups)', async () => {
    const dir = tempDir()
    expect(await main(['demo', 'seed', '--records', '300', '--people', '50', '--data-dir', dir, '--json'], quiet)).toBe(0)

    const { db } = await openDatabase(dir)
    try {
      const keys = await loadFieldKeys(db, dir, noProtector)
      const people = await db<Record<string, unknown>>('people').select('*')
      expect(people).toHaveLength(50)
      const personIds = people.map((p) => personIdNumber(keys, p.id_sealed as string))
      // The rebuild attack: a person's row holds the masked number; nothing else in it may hold the middle digits.
      for (const [i, p] of people.entries()) {
        const row = JSON.stringify(p)
        for (const form of birthForms(personIds[i]!)) expect(row).not.toContain(form)
      }
      // Records: the subject's 证件号码 and a 法定代表人's 证件号码 (sensitive, though typed text) are both sealed.
      const records = (await db('records').whereNotNull('sealed').select('data', 'sealed')) as Array<{ data: string; sealed: string }>
      const recordIds: string[] = []
      let legalReps = 0
      for (const r of records) {
        const data = JSON.parse(r.data) as Record<string, string>
        for (const [code, sealed] of Object.entries(JSON.parse(r.sealed) as Record<string, string>)) {
          recordIds.push(openSensitiveValue(keys, code, sealed))
          expect(data[code]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/)
          if (code === 'FRDB_ZJHM') legalReps++
        }
      }
      expect(legalReps).toBeGreaterThan(50)
      const ids = [...personIds, ...recordIds]
      // A backup taken now, and a write left in the WAL, are searched as well.
      await backupDatabase(db, dir, 'test')
      await db('settings').insert({ key: 'test.wal', value: 'x' })
      const files = filesUnder(dir)
      expect(files.some((f) => f.endsWith('-wal'))).toBe(true)
      expect(files.some((f) => f.includes('backups'))).toBe(true)
      for (const file of files) {
        const bytes = readFileSync(file)
        for (const id of ids) {
          for (const piece of [id, id.slice(0, 14), id.slice(6)]) {
            expect(bytes.includes(Buffer.from(piece)), `${piece} in ${file}`).toBe(false)
            expect(bytes.includes(Buffer.from(piece, 'utf16le')), `${piece} (UTF-16) in ${file}`).toBe(false)
          }
        }
      }
      // Only the owner may read the folder and the files holding the data.
      expect(statSync(dir).mode & 0o777).toBe(0o700)
      for (const file of files.filter((f) => /sqlite(-wal|-shm)?$/.test(f))) expect(statSync(file).mode & 0o777, file).toBe(0o600)
    } finally {
      await db.destroy()
    }

    // The backup's own people table holds no birth date either.
    const backup = filesUnder(join(dir, 'backups'))[0]!
    const copy = createDb(backup)
    try {
      const rows = await copy<Record<string, unknown>>('people').select('*')
      expect(rows).toHaveLength(50)
      expect(Object.keys(rows[0]!)).not.toContain('birth_date')
    } finally {
      await copy.destroy()
    }
    expect(readFileSync(join(dir, DB_FILE)).length).toBeGreaterThan(0)
  })
})
