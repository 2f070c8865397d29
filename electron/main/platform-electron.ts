import { dialog, type BrowserWindow } from 'electron'
import type { Platform } from './platform'

export function electronPlatform(getWindow: () => BrowserWindow | null): Platform {
  return {
    async chooseSavePath(request) {
      const win = getWindow()
      const options = { title: request.title, defaultPath: request.defaultName, filters: request.filters }
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    },
  }
}
