import { join } from 'node:path'
import { app, BrowserWindow, session } from 'electron'
import { denyAllPermissions, guardNavigation, mainWindowOptions, type GuardedContents } from './window-policy'

/** The only window, with the options and guards of window-policy.ts. */
export function createMainWindow(startUrl: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js'), app.isPackaged))
  win.once('ready-to-show', () => win.show())
  void win.loadURL(startUrl)
  return win
}

/** Every web contents the app ever makes (the window, any frame) gets the guards; the session grants nothing. */
export function hardenSessions(isTrustedUrl: (url: string) => boolean): void {
  denyAllPermissions(session.defaultSession)
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents as unknown as GuardedContents, isTrustedUrl))
}
