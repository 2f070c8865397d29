// What the window may do, as plain data and functions over small interfaces, so a test can check them without
// Electron (docs/security.md lists each setting and where it is checked). window.ts applies them.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron'

/**
 * Renderer isolation, never relaxed (in tests either): no Node, sandboxed, isolated context, no <webview>,
 * DevTools only in development builds.
 */
export function mainWebPreferences(preloadPath: string, isPackaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !isPackaged,
  }
}

export function mainWindowOptions(preloadPath: string, isPackaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: '信用通',
    autoHideMenuBar: true,
    webPreferences: mainWebPreferences(preloadPath, isPackaged),
  }
}

interface NavigationEvent {
  preventDefault(): void
}

/** The parts of webContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: NavigationEvent, url: string) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

/** Navigation and redirects only to the app's own pages; no new windows (an air-gapped PC has nowhere to open links). */
export function guardNavigation(contents: GuardedContents, isTrustedUrl: (url: string) => boolean): void {
  const stayHome = (event: NavigationEvent, url: string) => {
    if (!isTrustedUrl(url)) event.preventDefault()
  }
  contents.on('will-navigate', stayHome)
  contents.on('will-redirect', stayHome)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** The parts of a session the permission policy uses. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void
}

/** No permission is ever granted: camera, microphone, notifications, geolocation, USB, HID, serial … */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
