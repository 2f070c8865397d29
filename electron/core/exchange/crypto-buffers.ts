// Buffers crossing between the main thread and the crypto workers.

/** The buffer to move rather than copy, when the view owns all of it (a pooled slab must never be detached). */
export function transferable(bytes: Uint8Array | null | undefined): ArrayBuffer[] {
  if (!bytes || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) return []
  return [bytes.buffer]
}

/** A Buffer over the same memory (what arrives from another thread is a plain Uint8Array). */
export const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)
