import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A worker thread's script: the bundled file beside the main bundle (electron-vite entry `name`), or in tests and
 * under tsx the TypeScript source in `sourceDir` through tsx. Null when neither is there.
 */
export function workerScript(name: string, sourceDir: string): { script: string; eval: boolean } | null {
  // (bundled, the calling code may sit in a shared chunk one folder below the entry files)
  const built = [join(sourceDir, `${name}.js`), join(sourceDir, '..', `${name}.js`)].find(existsSync)
  if (built) return { script: built, eval: false }
  const source = join(sourceDir, `${name}.ts`)
  if (existsSync(source)) return { script: `require('tsx/cjs/api').register(); require(${JSON.stringify(source)})`, eval: true }
  return null
}
