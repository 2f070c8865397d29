// Services only the desktop shell can provide. Electron implements them in platform-electron.ts;
// the end-to-end harness implements them with deterministic doubles. Everything else is shared code.
export interface FileFilter {
  name: string
  extensions: string[]
}

export interface SaveFileRequest {
  title: string
  defaultName: string
  filters: FileFilter[]
}

export interface OpenFileRequest {
  title: string
  filters: FileFilter[]
}

export interface Platform {
  /** Asks the user where to save; null when they cancel. */
  chooseSavePath(request: SaveFileRequest): Promise<string | null>
  /** Asks the user for a file to read; null when they cancel. The renderer never names paths. */
  chooseOpenPath(request: OpenFileRequest): Promise<string | null>
  /** Prints the calling window's current page to a PDF file (A4, fonts embedded). */
  printToPdf(senderId: string, path: string): Promise<void>
}
