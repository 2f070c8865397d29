// The city's side of a package on its own machine: verified, decrypted and unpacked into a folder (manifest.json,
// each table's NDJSON parts, the scans as files, header.json). Opened into a temporary folder beside the target and
// renamed at the end: a refusal halfway leaves nothing.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { open as openFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { openPackage, reject, type OpenKeys, type PackageHeader } from './envelope'
import { ctrInPool, payloadReader } from './payload'

export async function openIntoFolder(file: string, keys: OpenKeys, dir: string): Promise<{ header: PackageHeader; files: number }> {
  if (existsSync(dir) && readdirSync(dir).length)
    throw new AppError(ErrorCode.FileWriteFailed, 'output folder not empty', { reason: 'not_empty', path: dir })
  const temp = `${resolve(dir)}.${randomBytes(4).toString('hex')}.partial`
  let files = 0
  let unsafe: string | null = null
  const targetOf = (name: string) => {
    const target = resolve(temp, name)
    if (!target.startsWith(temp + sep) || /[\\:]/.test(name)) {
      unsafe = name
      throw new Error('unsafe entry name')
    }
    mkdirSync(dirname(target), { recursive: true })
    return target
  }
  const reader = payloadReader(
    (name, data) => {
      writeFileSync(targetOf(name), data)
      files++
    },
    {
      ctr: ctrInPool,
      // Scans go to their files piece by piece as the workers decrypt them (none is held whole).
      scans: async (name) => {
        const out = await openFile(targetOf(name), 'w')
        return {
          write: (plain) => out.writeFile(plain),
          end: async () => {
            await out.close()
            files++
          },
          abort: () => out.close(),
        }
      },
    },
  )
  try {
    mkdirSync(temp, { recursive: true })
    const r = await openPackage(file, keys, (plain) => reader.write(plain))
    await reader.end()
    writeFileSync(join(temp, 'header.json'), JSON.stringify(r.header, null, 1))
    if (existsSync(dir)) rmdirSync(dir)
    renameSync(temp, dir)
    return { header: r.header, files }
  } catch (err) {
    rmSync(temp, { recursive: true, force: true })
    if (unsafe) throw reject('unsafe_name', { name: unsafe })
    throw err
  }
}
