// How the command line is launched (the `#!` line of bin/credit-desk.cjs: allocator settings and V8 flags that must
// be given when the process starts), so that benchmarks measure it exactly as it runs.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const CLI = join(__dirname, '../bin/credit-desk.cjs')

/** The environment and node arguments of the launcher line, with `extra` node arguments before the script. */
export function launched(extra: string[] = []): { env: NodeJS.ProcessEnv; args: string[] } {
  const line = readFileSync(CLI, 'utf8').split('\n')[0]!
  const words = /^#!\/usr\/bin\/env -S (.*)$/.exec(line)?.[1]?.split(/\s+/) ?? ['node']
  const at = words.indexOf('node')
  const env = Object.fromEntries(words.slice(0, at).map((w) => w.split('=') as [string, string]))
  return { env: { ...process.env, ...env }, args: [...words.slice(at + 1), ...extra, CLI] }
}
