// Electron lifecycle: single-instance lock → data folder → backup + guards + migrations → IPC →
// window. A database that cannot be opened stops here with a blocking dialog naming the backup.
import { join } from 'node:path'
import { app, dialog, ipcMain, type BrowserWindow } from 'electron'
import { createBackend } from './compose'
import { resolveDataDir } from './data-dir'
import { registerIpc } from './ipc/register'
import { trustOrigin } from './ipc/router'
import { electronPlatform } from './platform-electron'
import { electronKeyProtector } from './key-protector-electron'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol'
import { startupErrorMessage } from './startup-error'
import { createMainWindow, hardenSessions } from './window'

let mainWindow: BrowserWindow | null = null

// An ASCII folder name keeps the data folder easy to find and to script against.
app.setPath('userData', join(app.getPath('appData'), 'credit-desk'))
registerAppScheme()

// Two instances must never migrate or write one database file.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  })
  app.on('window-all-closed', () => app.quit())
  void app.whenReady().then(start)
}

async function start(): Promise<void> {
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'))
  // In development electron-vite serves the renderer over http; packaged builds use app://.
  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  const origin = devUrl ? new URL(devUrl).origin : APP_ORIGIN
  const isTrusted = trustOrigin(origin)
  try {
    const backend = await createBackend({
      dataDir,
      platform: electronPlatform(() => mainWindow),
      isTrustedSender: isTrusted,
      keyProtector: electronKeyProtector(),
      dailyBackup: true,
    })
    app.on('will-quit', () => void backend.close())
    registerIpc(ipcMain, backend.dispatch)
  } catch (err) {
    const { title, body } = startupErrorMessage(err, dataDir)
    dialog.showErrorBox(title, body)
    app.exit(1)
    return
  }
  const isTrustedUrl = (url: string) => isTrusted({ id: '', url, isMainFrame: true })
  hardenSessions(isTrustedUrl)
  if (!devUrl) serveRenderer(join(__dirname, '../renderer'))
  mainWindow = createMainWindow(devUrl ?? `${APP_ORIGIN}/index.html`)
  mainWindow.on('closed', () => (mainWindow = null))
}
