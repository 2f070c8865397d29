// `npm start` on an offline machine: before building, it says what is missing (the Electron zip) and how to supply it.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'

const SCRIPT = resolve(__dirname, '../../scripts/check-electron.mjs')

function run(cwd: string, env: Record<string, string> = {}) {
  const { ELECTRON_OVERRIDE_DIST_PATH: _, ...rest } = process.env
  return spawnSync(process.execPath, [SCRIPT], { cwd, env: { ...rest, ...env }, encoding: 'utf8' })
}

describe('the start check for the Electron binary', () => {
  it('stops with the zip to fetch and the command to install it when the binary is missing, and passes once it is there', () => {
    const root = tempDir()
    const dir = join(root, 'node_modules/electron')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '45.4.1' }))
    const missing = run(root)
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain(`electron-v45.4.1-${process.platform}-${process.arch}.zip`)
    expect(missing.stderr).toContain('node scripts/install-electron-offline.mjs')

    expect(run(root, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }).status).toBe(0)
    writeFileSync(join(dir, 'path.txt'), 'electron')
    mkdirSync(join(dir, 'dist'))
    expect(run(root).status).toBe(1) // path.txt names a file that is not there
    writeFileSync(join(dir, 'dist', 'electron'), '')
    expect(run(root).status).toBe(0)
  })
})
