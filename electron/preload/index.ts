// The renderer's only door: one function per procedure in the closed list, all on one channel.
// No generic send/invoke, no events the list does not name, no process or env. Must stay free of
// npm imports: a sandboxed preload can require nothing but 'electron'.
import { contextBridge, ipcRenderer } from 'electron'
import { IPC_CHANNEL, PROCEDURES } from '../contract/names'

const api = Object.freeze(
  Object.fromEntries(PROCEDURES.map((name) => [name, (input?: unknown) => ipcRenderer.invoke(IPC_CHANNEL, name, input ?? {})])),
)

contextBridge.exposeInMainWorld('api', api)
