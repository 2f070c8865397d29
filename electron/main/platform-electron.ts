import { writeFileSync } from 'node:fs'
import { dialog, webContents, type BrowserWindow } from 'electron'
import type { Platform } from './platform'

export function electronPlatform(getWindow: () => BrowserWindow | null): Platform {
  return {
    async chooseSavePath(request) {
      const win = getWindow()
      const options = { title: request.title, defaultPath: request.defaultName, filters: request.filters }
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    },
    async chooseOpenPath(request) {
      const win = getWindow()
      const options = { title: request.title, filters: request.filters, properties: ['openFile' as const] }
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!
    },
    async printToPdf(senderId, path) {
      const contents = webContents.fromId(Number(senderId))
      if (!contents) throw new Error('window gone')
      writeFileSync(path, await contents.printToPDF({ pageSize: 'A4', printBackground: true }))
    },
  }
}
