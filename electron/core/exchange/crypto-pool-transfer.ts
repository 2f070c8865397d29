/** The buffer to move rather than copy, when the view owns all of it (a pooled slab must never be detached). */
export function transferable(bytes: Uint8Array | null | undefined): ArrayBuffer[] {
  if (!bytes || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) return []
  return [bytes.buffer]
}
