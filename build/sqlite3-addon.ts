// The sqlite3 native addon inside each installer. N-API makes the addon independent of the Node/Electron version,
// not of the OS and CPU: the Windows x64 and Linux arm64 packages need their own node_sqlite3.node, not the build
// host's. electron-builder's afterPack hook (after-pack.cjs) calls placeSqliteAddon for every target:
//   - if the addon already in the package is built for the target (a native build), it is kept;
//   - otherwise the addon for the target is taken from the supplied folder (like the Electron zips on an offline
//     build machine), checked against SHA256SUMS there and by its file header, and put in place;
//   - anything else stops the build with a message saying what is missing.
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export type Target = 'win32-x64' | 'linux-x64' | 'linux-arm64'
export const TARGETS: readonly Target[] = ['win32-x64', 'linux-x64', 'linux-arm64']

/** Where sqlite3 sits inside a packaged app (asarUnpack keeps it outside app.asar). */
export const ADDON_IN_PACKAGE = join('resources', 'app.asar.unpacked', 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node')

/** What a native binary is built for, read from its header; null when it is neither a PE nor an ELF file we know. */
export function binaryTarget(bytes: Buffer): Target | 'other' | null {
  if (bytes.length >= 0x40 && bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c)
    if (pe + 26 > bytes.length || bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') return null
    const machine = bytes.readUInt16LE(pe + 4)
    const optionalMagic = bytes.readUInt16LE(pe + 24)
    // PE32+ (0x20b) for AMD64 (0x8664)
    return machine === 0x8664 && optionalMagic === 0x20b ? 'win32-x64' : 'other'
  }
  if (bytes.length >= 20 && bytes.toString('latin1', 0, 4) === '\x7fELF') {
    const is64 = bytes[4] === 2
    const littleEndian = bytes[5] === 1
    if (!is64 || !littleEndian) return 'other'
    const machine = bytes.readUInt16LE(18)
    if (machine === 0x3e) return 'linux-x64'
    if (machine === 0xb7) return 'linux-arm64'
    return 'other'
  }
  return null
}

/** `electronPlatformName` and the arch name electron-builder passes to afterPack. */
export function targetOf(platform: string, arch: string): Target {
  const t = `${platform}-${arch}`
  if (!(TARGETS as readonly string[]).includes(t)) throw new Error(`信用通 is not packaged for ${t} (targets: ${TARGETS.join(', ')})`)
  return t as Target
}

/** The SHA-256 sums file of the supplied folder: "<hex>  <relative path>" per line (sha256sum's format). */
export function readSums(folder: string): Map<string, string> {
  const file = join(folder, 'SHA256SUMS')
  if (!existsSync(file))
    throw new Error(`${file} is missing: list each supplied addon's SHA-256 there (sha256sum */node_sqlite3.node > SHA256SUMS)`)
  const sums = new Map<string, string>()
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/i.exec(line.trim())
    if (m) sums.set(m[2]!.replace(/\\/g, '/').replace(/^\.\//, ''), m[1]!.toLowerCase())
  }
  return sums
}

export interface PlaceResult {
  target: Target
  /** kept: the package's own addon was already right; supplied: replaced from the folder. */
  source: 'kept' | 'supplied'
  sha256: string
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/**
 * Makes the addon in `appOutDir` the one for `target`. `suppliedDir` holds `<target>/node_sqlite3.node` for each
 * foreign target and their SHA256SUMS (one folder per sqlite3 version: the caller names it).
 */
export function placeSqliteAddon(appOutDir: string, target: Target, suppliedDir: string): PlaceResult {
  const inPackage = join(appOutDir, ADDON_IN_PACKAGE)
  if (!existsSync(inPackage)) throw new Error(`the package has no sqlite3 addon at ${inPackage} (is sqlite3 still in asarUnpack?)`)
  const current = readFileSync(inPackage)
  if (binaryTarget(current) === target) return { target, source: 'kept', sha256: sha256(current) }

  const relative = `${target}/node_sqlite3.node`
  const supplied = join(suppliedDir, relative)
  if (!existsSync(supplied)) {
    throw new Error(`the ${target} package needs the sqlite3 addon built for ${target}: put it at ${supplied} (see README, "离线打包")`)
  }
  const bytes = readFileSync(supplied)
  const expected = readSums(suppliedDir).get(relative)
  if (!expected) throw new Error(`${relative} is not listed in ${join(suppliedDir, 'SHA256SUMS')}`)
  const actual = sha256(bytes)
  if (actual !== expected)
    throw new Error(`${supplied}: SHA-256 ${actual} does not match SHA256SUMS (${expected}); the file is damaged or not the one listed`)
  const built = binaryTarget(bytes)
  if (built !== target) throw new Error(`${supplied} is built for ${built ?? 'an unknown format'}, not ${target}`)
  copyFileSync(supplied, inPackage)
  // Read back: what the installer carries is what was checked.
  const placed = readFileSync(inPackage)
  if (sha256(placed) !== expected || binaryTarget(placed) !== target) throw new Error(`${inPackage} did not take the supplied addon`)
  return { target, source: 'supplied', sha256: expected }
}

/** The folder for this sqlite3 version: CREDIT_DESK_NATIVE_DIR or build/native, then sqlite3-<version>. */
export function suppliedFolder(projectDir: string, sqliteVersion: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(env.CREDIT_DESK_NATIVE_DIR || join(projectDir, 'build', 'native'), `sqlite3-${sqliteVersion}`)
}

/** electron-builder's Arch enum, by value. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal']

/** The afterPack hook: every installer carries the sqlite3 addon for its own OS and CPU, or the build stops. */
export function afterPack(
  context: { appOutDir: string; electronPlatformName: string; arch: number },
  projectDir = process.cwd(),
): PlaceResult {
  const target = targetOf(context.electronPlatformName, ARCH_NAMES[context.arch] ?? String(context.arch))
  const version = (JSON.parse(readFileSync(join(projectDir, 'node_modules', 'sqlite3', 'package.json'), 'utf8')) as { version: string })
    .version
  const result = placeSqliteAddon(context.appOutDir, target, suppliedFolder(projectDir, version))
  console.log(
    `  • sqlite3 ${version} addon for ${target}: ${result.source === 'kept' ? 'built here' : 'supplied'}, sha256 ${result.sha256}`,
  )
  return result
}
