import { safeStorage } from 'electron'
import { noProtector, type KeyProtector } from '../core/security/key-store'

/**
 * Wraps the field-key secret with the operating system's store: DPAPI on Windows, the Secret
 * Service / KWallet keyring on Linux. Where Linux has no keyring Electron falls back to a fixed
 * key ('basic_text'), which protects nothing, so then the file's permissions are all we claim.
 */
export function electronKeyProtector(): KeyProtector {
  if (!safeStorage.isEncryptionAvailable()) return noProtector
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return noProtector
  return {
    kind: 'os',
    protect: (secret) => safeStorage.encryptString(secret.toString('base64')),
    unprotect: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
  }
}
