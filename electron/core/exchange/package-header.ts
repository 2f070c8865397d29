// The plaintext header of a transfer package (docs/package-format.md, docs/package-header.schema.json): what it may
// hold, checked field by field before any field is used, by the reader and by the writer alike.
import { z } from 'zod'
import { suiteOf, type SuiteName } from './suites'

/** What this version writes; it reads READABLE_VERSIONS (1: every byte sealed in fixed chunks; 2: records, docs/package-format.md). */
export const FORMAT_VERSION = 2
export const READABLE_VERSIONS = [1, 2] as const
export const CHUNK_SIZE = 1 << 20

import { PACKAGE_KINDS, type PackageKind } from '../../contract/schemas/exchange'
export { PACKAGE_KINDS, type PackageKind }
/** Sequence numbers are positive 31-bit integers: what every reader's integer type holds. */
export const MAX_SEQUENCE = 2 ** 31 - 1

const Fingerprint = z.string().regex(/^[0-9a-f]{64}$/)
const Party = z.strictObject({
  orgName: z.string().max(200),
  regionCode: z.string().max(12),
  uscc: z.string().max(18),
  keyFingerprint: Fingerprint,
})

/**
 * The header exactly as docs/package-format.md (and package-header.schema.json) defines it: every field checked before
 * any is used, nothing else allowed. The signature covers the header, so what passes here and verifies is the sender's.
 */
export const PackageHeaderSchema = z
  .strictObject({
    format: z.literal('credit-desk-package'),
    version: z.union([z.literal(1), z.literal(2)]),
    suite: z.enum(['SM2-SM3-SM4', 'X25519-Ed25519-AES256GCM']),
    chunkSize: z.literal(CHUNK_SIZE),
    salt: z.string().regex(/^[0-9a-f]{32}$/),
    kind: z.enum(PACKAGE_KINDS),
    sequence: z.number().int().min(1).max(MAX_SEQUENCE),
    createdAt: z.iso.datetime({ offset: true }),
    sender: Party,
    recipient: z.strictObject({ keyFingerprint: Fingerprint, wrappedKey: z.base64().max(1024) }),
  })
  .refine((h) => suiteOf(h.suite)!.wrappedKeyFits(Buffer.from(h.recipient.wrappedKey, 'base64').length), {
    path: ['recipient', 'wrappedKey'],
  })

export type PackageHeader = z.output<typeof PackageHeaderSchema> & { suite: SuiteName }
export type PartyInfo = PackageHeader['sender']
