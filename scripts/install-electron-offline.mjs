#!/usr/bin/env node
// Offline build machines: install the Electron binary from the official release zip copied in by
// hand (e.g. electron-v45.4.1-win32-x64.zip). The zip is placed where Electron's own installer
// looks for a cached download, then that installer runs: it checks the zip's SHA-256 against the
// checksums shipped inside the electron npm package and unpacks it into node_modules/electron/dist.
//   node scripts/install-electron-offline.mjs /media/usb/electron-v45.4.1-linux-x64.zip
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'

const zip = process.argv[2]
if (!zip || !existsSync(zip)) {
  console.error('用法 / usage: node scripts/install-electron-offline.mjs <electron-vVERSION-PLATFORM-ARCH.zip>')
  process.exit(2)
}
const electronDir = resolve('node_modules/electron')
const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'))
const expected = `electron-v${version}-${process.platform}-${process.arch}.zip`
if (basename(zip) !== expected) {
  console.error(`需要 / need ${expected}（本机 ${process.platform}-${process.arch}，electron ${version}），收到 / got ${basename(zip)}`)
  process.exit(2)
}
// @electron/get keys its cache by the SHA-256 of the release URL's directory.
const urlDir = `https://github.com/electron/electron/releases/download/v${version}`
const cacheRoot = resolve('node_modules/.cache/electron-offline')
const slot = join(cacheRoot, createHash('sha256').update(urlDir).digest('hex'))
mkdirSync(slot, { recursive: true })
copyFileSync(zip, join(slot, expected))
const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  stdio: 'inherit',
  env: { ...process.env, electron_config_cache: cacheRoot },
})
if (r.status !== 0) {
  console.error('安装失败：压缩包校验或解压未通过 / install failed (checksum or unzip)')
  process.exit(1)
}
console.log(`Electron ${version} 已安装 / installed: ${join(electronDir, 'dist')}`)
