import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { IPC_CHANNEL } from '../../contract/names'
import type { Dispatch } from './router'
import type { Sender } from './context'

/** Who sent an IPC message, as Electron reports it: the message itself cannot claim a window, page or frame. */
export function senderOf(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): Sender {
  const frame = event.senderFrame
  return { id: String(event.sender.id), url: frame?.url ?? '', isMainFrame: frame != null && frame === event.sender.mainFrame }
}

/** Connects the router to Electron's IPC: one channel, every call through the router. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  ipcMain.handle(IPC_CHANNEL, (event, name: unknown, input: unknown) => dispatch(senderOf(event), name, input))
}
