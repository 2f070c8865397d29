#!/usr/bin/env node
// Runs before `npm start`: says in plain words what an offline machine needs (the Electron zip) instead of Electron's
// own "failed to install correctly" once the build has finished.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const dir = resolve('node_modules/electron')
if (process.env.ELECTRON_OVERRIDE_DIST_PATH || !existsSync(join(dir, 'package.json'))) process.exit(0)
const pathFile = join(dir, 'path.txt')
if (existsSync(pathFile) && existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()))) process.exit(0)
const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
const platform = { win32: 'win32', linux: 'linux', darwin: 'darwin' }[process.platform] ?? process.platform
console.error(`未找到 Electron 程序文件（离线电脑上 npm install 无法下载它）。
请在能上网的电脑上下载 electron-v${version}-${platform}-${process.arch}.zip（Electron 官方发布页），拷到本机后执行：
  node scripts/install-electron-offline.mjs <压缩包路径>
或解压到任意目录并设置环境变量 ELECTRON_OVERRIDE_DIST_PATH=该目录，再运行 npm start。详见 README“离线构建机”。`)
process.exit(1)
