// The import boundaries of the architecture are lint rules; here each one is planted in a file where it is
// forbidden and must be caught, in every spelling: static, dynamic, require, with and without node:.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.ruleId!)
}

const PLANTED: Array<[where: string, code: string]> = [
  // core and db: no Electron in any form
  ['electron/core/planted.ts', "import { app } from 'electron'\nexport const a = app\n"],
  ['electron/core/planted.ts', "import { app } from 'electron/main'\nexport const a = app\n"],
  ['electron/core/planted.ts', "export async function f() {\n  return (await import('electron')).app\n}\n"],
  ['electron/core/planted.ts', "export async function f() {\n  return (await import('electron/main')).app\n}\n"],
  ['electron/core/planted.ts', "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const e = require('electron')\n"],
  ['db/planted.ts', "import { app } from 'electron/main'\nexport const a = app\n"],
  // contract: zod only, no Node built-in in any spelling
  ['electron/contract/planted.ts', "import { readFileSync } from 'fs'\nexport const a = readFileSync\n"],
  ['electron/contract/planted.ts', "import { readFile } from 'fs/promises'\nexport const a = readFile\n"],
  ['electron/contract/planted.ts', "import { createHash } from 'node:crypto'\nexport const a = createHash\n"],
  ['electron/contract/planted.ts', "export async function f() {\n  return import('crypto')\n}\n"],
  ['electron/contract/planted.ts', "import { ipcRenderer } from 'electron/renderer'\nexport const a = ipcRenderer\n"],
  // renderer: no Node, no Electron, no core
  ['renderer/src/planted.ts', "import { createHash } from 'crypto'\nexport const a = createHash\n"],
  ['renderer/src/planted.ts', "import { readFileSync } from 'fs'\nexport const a = readFileSync\n"],
  ['renderer/src/planted.ts', "import { Worker } from 'worker_threads'\nexport const a = Worker\n"],
  ['renderer/src/planted.ts', "export async function f() {\n  return import('node:child_process')\n}\n"],
  ['renderer/src/planted.ts', "export async function f() {\n  return import('os')\n}\n"],
  ['renderer/src/planted.ts', "import { ipcRenderer } from 'electron/renderer'\nexport const a = ipcRenderer\n"],
  ['renderer/src/planted.ts', "import { createDb } from '../../db/connection'\nexport const a = createDb\n"],
  // preload: electron and the procedure names, nothing loaded at run time
  ['electron/preload/planted.ts', "import { z } from 'zod'\nexport const a = z\n"],
  ['electron/preload/planted.ts', "export async function f() {\n  return import('./other')\n}\n"],
]

describe('the import boundaries', () => {
  it.each(PLANTED)('catch a forbidden import planted in %s: %s', async (where, code) => {
    expect(await ruleHits(where, code)).not.toEqual([])
  })

  it('let the allowed ones through (core may use Node; the renderer may use the contract)', async () => {
    expect(await ruleHits('electron/core/planted.ts', "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n")).toEqual(
      [],
    )
    expect(
      await ruleHits(
        'renderer/src/planted.ts',
        "import { PROCEDURES } from '../../electron/contract/names'\nexport const a = PROCEDURES\n",
      ),
    ).toEqual([])
    expect(await ruleHits('electron/preload/planted.ts', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n")).toEqual(
      [],
    )
  })
})
