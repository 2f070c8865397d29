import { ipcMain } from 'electron'
import { IPC_CHANNEL } from '../../contract/names'
import type { Dispatch } from './router'

/** Connects the router to Electron's IPC. The sender's identity comes from Electron, not from the message. */
export function registerIpc(dispatch: Dispatch): void {
  ipcMain.handle(IPC_CHANNEL, (event, name: unknown, input: unknown) => {
    const frame = event.senderFrame
    return dispatch(
      { id: String(event.sender.id), url: frame?.url ?? '', isMainFrame: frame != null && frame === event.sender.mainFrame },
      name,
      input,
    )
  })
}
