// Each installer must carry the sqlite3 addon for its own OS and CPU. The afterPack hook is run here over fake
// packages and fake binaries (headers only): kept when the package already has the right one, replaced from the
// supplied folder only when its checksum and header both say so, and the build stopped otherwise.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ADDON_IN_PACKAGE, afterPack, binaryTarget, placeSqliteAddon, suppliedFolder } from '../../build/sqlite3-addon'
import { tempDir } from '../helpers'

/** A PE file header: MZ, e_lfanew → "PE\0\0", Machine, then the optional header's magic. */
function pe(machine: number, magic: number): Buffer {
  const b = Buffer.alloc(0x200)
  b.write('MZ', 0, 'latin1')
  b.writeUInt32LE(0x80, 0x3c)
  b.write('PE\0\0', 0x80, 'latin1')
  b.writeUInt16LE(machine, 0x84)
  b.writeUInt16LE(magic, 0x80 + 24)
  return b
}

/** An ELF header: class (1 = 32-bit, 2 = 64-bit), data (1 = little endian), e_machine. */
function elf(cls: number, data: number, machine: number): Buffer {
  const b = Buffer.alloc(0x100)
  b.write('\x7fELF', 0, 'latin1')
  b[4] = cls
  b[5] = data
  b.writeUInt16LE(machine, 18)
  return b
}

const WIN_X64 = pe(0x8664, 0x20b)
const WIN_X86 = pe(0x14c, 0x10b)
const LINUX_X64 = elf(2, 1, 0x3e)
const LINUX_ARM64 = elf(2, 1, 0xb7)
const LINUX_ARMHF = elf(1, 1, 0x28)
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

function fakePackage(addon: Buffer): string {
  const appOutDir = tempDir()
  mkdirSync(dirname(join(appOutDir, ADDON_IN_PACKAGE)), { recursive: true })
  writeFileSync(join(appOutDir, ADDON_IN_PACKAGE), addon)
  return appOutDir
}

function suppliedDir(files: Record<string, Buffer>, sums: Record<string, Buffer> = files): string {
  const dir = tempDir()
  for (const [target, bytes] of Object.entries(files)) {
    mkdirSync(join(dir, target), { recursive: true })
    writeFileSync(join(dir, target, 'node_sqlite3.node'), bytes)
  }
  writeFileSync(
    join(dir, 'SHA256SUMS'),
    Object.entries(sums)
      .map(([target, bytes]) => `${sha(bytes)}  ${target}/node_sqlite3.node\n`)
      .join(''),
  )
  return dir
}

const inPackage = (appOutDir: string) => readFileSync(join(appOutDir, ADDON_IN_PACKAGE))

describe('reading what a binary is built for', () => {
  it('tells PE32+ x86-64, ELF x86-64 and ELF aarch64 apart, and nothing else passes as one of them', () => {
    expect(binaryTarget(WIN_X64)).toBe('win32-x64')
    expect(binaryTarget(LINUX_X64)).toBe('linux-x64')
    expect(binaryTarget(LINUX_ARM64)).toBe('linux-arm64')
    expect(binaryTarget(WIN_X86)).toBe('other')
    expect(binaryTarget(pe(0x8664, 0x10b))).toBe('other') // AMD64 machine but a PE32 optional header
    expect(binaryTarget(LINUX_ARMHF)).toBe('other')
    expect(binaryTarget(elf(2, 2, 0xb7))).toBe('other') // big-endian
    expect(binaryTarget(Buffer.from('not a binary at all, just some text that is long enough to read'))).toBeNull()
  })

  it('reads this machine’s own sqlite3 build as what it is', () => {
    const own = readFileSync('node_modules/sqlite3/build/Release/node_sqlite3.node')
    expect(binaryTarget(own)).toBe(`${process.platform}-${process.arch}`)
  })
})

describe('the afterPack hook', () => {
  it('keeps the package’s addon when it is already built for the target (no folder needed)', () => {
    const app = fakePackage(LINUX_X64)
    expect(placeSqliteAddon(app, 'linux-x64', '/nonexistent')).toEqual({ target: 'linux-x64', source: 'kept', sha256: sha(LINUX_X64) })
    expect(inPackage(app)).toEqual(LINUX_X64)
  })

  it('puts the supplied addon in place for a foreign target, checked by checksum and header', () => {
    const supplied = suppliedDir({ 'win32-x64': WIN_X64, 'linux-arm64': LINUX_ARM64 })
    const win = fakePackage(LINUX_X64)
    expect(placeSqliteAddon(win, 'win32-x64', supplied)).toEqual({ target: 'win32-x64', source: 'supplied', sha256: sha(WIN_X64) })
    expect(inPackage(win)).toEqual(WIN_X64)
    const arm = fakePackage(LINUX_X64)
    expect(placeSqliteAddon(arm, 'linux-arm64', supplied).source).toBe('supplied')
    expect(inPackage(arm)).toEqual(LINUX_ARM64)
  })

  it('stops the build when the addon is missing, unlisted, altered or built for another target, and leaves the package untouched', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['missing', suppliedDir({ 'win32-x64': WIN_X64 }), /needs the sqlite3 addon built for linux-arm64/],
      ['unlisted', suppliedDir({ 'linux-arm64': LINUX_ARM64 }, {}), /not listed in/],
      [
        'altered',
        suppliedDir({ 'linux-arm64': LINUX_ARM64 }, { 'linux-arm64': Buffer.concat([LINUX_ARM64, Buffer.from('x')]) }),
        /does not match SHA256SUMS/,
      ],
      ['wrong target', suppliedDir({ 'linux-arm64': LINUX_X64 }), /built for linux-x64, not linux-arm64/],
      ['32-bit ARM', suppliedDir({ 'linux-arm64': LINUX_ARMHF }), /built for other, not linux-arm64/],
    ]
    for (const [what, dir, message] of cases) {
      const app = fakePackage(LINUX_X64)
      expect(() => placeSqliteAddon(app, 'linux-arm64', dir), what).toThrow(message)
      expect(inPackage(app), what).toEqual(LINUX_X64)
    }
    const noSums = tempDir()
    mkdirSync(join(noSums, 'win32-x64'))
    writeFileSync(join(noSums, 'win32-x64', 'node_sqlite3.node'), WIN_X64)
    expect(() => placeSqliteAddon(fakePackage(LINUX_X64), 'win32-x64', noSums)).toThrow(/SHA256SUMS is missing/)
    expect(() => placeSqliteAddon(tempDir(), 'win32-x64', noSums)).toThrow(/no sqlite3 addon/)
  })

  it('takes the target from electron-builder’s context and the folder for the installed sqlite3 version', () => {
    const project = tempDir()
    mkdirSync(join(project, 'node_modules', 'sqlite3'), { recursive: true })
    writeFileSync(join(project, 'node_modules', 'sqlite3', 'package.json'), JSON.stringify({ version: '6.0.1' }))
    const folder = suppliedFolder(project, '6.0.1', {})
    expect(folder).toBe(join(project, 'build', 'native', 'sqlite3-6.0.1'))
    mkdirSync(folder, { recursive: true })
    const supplied = suppliedDir({ 'win32-x64': WIN_X64 })
    for (const f of ['SHA256SUMS', 'win32-x64/node_sqlite3.node']) {
      mkdirSync(dirname(join(folder, f)), { recursive: true })
      writeFileSync(join(folder, f), readFileSync(join(supplied, f)))
    }
    const app = fakePackage(LINUX_X64)
    // Arch enum: 1 = x64, 3 = arm64.
    expect(afterPack({ appOutDir: app, electronPlatformName: 'win32', arch: 1 }, project).source).toBe('supplied')
    expect(inPackage(app)).toEqual(WIN_X64)
    expect(() => afterPack({ appOutDir: fakePackage(LINUX_X64), electronPlatformName: 'linux', arch: 3 }, project)).toThrow(/linux-arm64/)
    expect(() => afterPack({ appOutDir: fakePackage(LINUX_X64), electronPlatformName: 'darwin', arch: 3 }, project)).toThrow(
      /not packaged for darwin-arm64/,
    )
    expect(suppliedFolder(project, '6.0.1', { CREDIT_DESK_NATIVE_DIR: '/media/usb/native' })).toBe(
      join('/media/usb/native', 'sqlite3-6.0.1'),
    )
  })

  it('is what electron-builder loads: the CommonJS shim runs the TypeScript hook', () => {
    const app = fakePackage(LINUX_X64)
    const script = `require('./build/after-pack.cjs').default({ appOutDir: ${JSON.stringify(app)}, electronPlatformName: 'linux', arch: 1 }).then(() => console.log('placed'))`
    expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })).toMatch(/addon for linux-x64: built here[\s\S]*placed/)
  })
})
