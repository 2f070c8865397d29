// This installation's exchange key pairs and the peers' public keys. Private keys are sealed with the field key
// (itself protected by the OS key store in Electron); a rotated key stays to open packages made for it. A peer's new
// key retires its old one: packages signed with a retired key are refused.
import { readFileSync, statSync } from 'node:fs'
import type { Knex } from 'knex'
import { DEFAULT_PARTS, EXPORT_PARTS, type ExportPart } from '../../contract/schemas/exchange'
import { ErrorCode } from '../../contract/errors'
import { openField, sealField, type FieldKeys } from '../security/field-crypto'
import { AppError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import { spokenFingerprint } from './key-files'
import { suiteOf, suiteOfKeyFile, type SuiteName } from './suites'

const CONTEXT = 'exchange_keys.private_pem'
const DEFAULT_SUITE: SuiteName = 'SM2-SM3-SM4'

export interface OwnKey {
  id: number
  suite: SuiteName
  fingerprint: string
  publicPem: string
  privatePem: string
}

async function createOwnKey(db: Knex, keys: FieldKeys, clock: Clock, suiteName: SuiteName): Promise<void> {
  const suite = suiteOf(suiteName)!
  const pair = suite.generate()
  await db('exchange_keys').insert({
    suite: suiteName,
    fingerprint: suite.fingerprint(pair.publicPem),
    public_pem: pair.publicPem,
    private_sealed: sealField(keys, pair.privatePem, CONTEXT),
    created_at: clock.now(),
  })
}

/** The current key pair of a suite, made on first need (at setup, or for the standard suite when a peer uses it). */
export async function currentOwnKey(db: Knex, keys: FieldKeys, clock: Clock, suiteName: SuiteName = DEFAULT_SUITE): Promise<OwnKey> {
  const current = () => db('exchange_keys').where({ suite: suiteName }).whereNull('retired_at').orderBy('id', 'desc').first()
  let row = await current()
  if (!row) {
    await createOwnKey(db, keys, clock, suiteName)
    row = (await current())!
  }
  return {
    id: row.id,
    suite: row.suite,
    fingerprint: row.fingerprint,
    publicPem: row.public_pem,
    privatePem: openField(keys, row.private_sealed, CONTEXT),
  }
}

/** A new key pair for the suite; the old one is kept (retired) so packages already made for it still open. */
export async function rotateOwnKey(db: Knex, keys: FieldKeys, clock: Clock, suiteName: SuiteName = DEFAULT_SUITE): Promise<OwnKey> {
  await db.transaction(async (trx) => {
    await trx('exchange_keys').where({ suite: suiteName }).whereNull('retired_at').update({ retired_at: clock.now() })
    await createOwnKey(trx, keys, clock, suiteName)
  })
  return currentOwnKey(db, keys, clock, suiteName)
}

/** Every own private key, current and retired, by fingerprint. */
export async function ownPrivateKeys(db: Knex, keys: FieldKeys): Promise<Map<string, string>> {
  const rows = await db('exchange_keys').select('fingerprint', 'private_sealed')
  return new Map(rows.map((r) => [r.fingerprint, openField(keys, r.private_sealed, CONTEXT)]))
}

export async function listOwnKeys(db: Knex) {
  const rows = await db('exchange_keys').orderBy('id', 'desc').select('id', 'suite', 'fingerprint', 'created_at', 'retired_at')
  return rows.map((r) => ({
    id: r.id,
    suite: r.suite,
    fingerprint: r.fingerprint,
    spoken: spokenFingerprint(r.fingerprint),
    createdAt: Number(r.created_at),
    retiredAt: r.retired_at ? Number(r.retired_at) : null,
  }))
}

const MAX_KEY_FILE_CHARS = 20_000

/** The text of a peer's public-key file chosen by the user; anything far larger than a PEM key is refused unread. */
export function readPeerKeyFile(path: string): string {
  if (statSync(path).size > MAX_KEY_FILE_CHARS * 4) throw new AppError(ErrorCode.KeyFileRejected, 'too large', { reason: 'not_pem' })
  const text = readFileSync(path, 'utf8')
  if (text.length > MAX_KEY_FILE_CHARS) throw new AppError(ErrorCode.KeyFileRejected, 'too large', { reason: 'not_pem' })
  return text
}

export async function importPeer(db: Knex, clock: Clock, input: { name: string; pemText: string }, userId: number | null) {
  const suite = suiteOfKeyFile(input.pemText)
  if (!suite)
    throw new AppError(ErrorCode.KeyFileRejected, 'not a public key file', {
      reason: input.pemText.includes('PRIVATE KEY') ? 'private_key' : 'not_public_key',
    })
  const fingerprint = suite.fingerprint(input.pemText)
  const known = await db('exchange_keys').where('fingerprint', fingerprint).first('id')
  if (known) throw new AppError(ErrorCode.KeyFileRejected, 'own key', { reason: 'own_key' })
  if (await db('exchange_peers').where('fingerprint', fingerprint).first('id'))
    throw new AppError(ErrorCode.Conflict, 'peer key known', { reason: 'peer_exists' })
  const now = clock.now()
  const id = await db.transaction(async (trx) => {
    // A new key replaces the peer's old one, keeping what the administrator allowed it to receive.
    const previous = await trx('exchange_peers').where({ name: input.name }).whereNull('retired_at').orderBy('id', 'desc').first('parts')
    await trx('exchange_peers').where({ name: input.name }).whereNull('retired_at').update({ retired_at: now })
    const [peerId] = await trx('exchange_peers').insert({
      name: input.name,
      suite: suite.name,
      fingerprint,
      public_pem: input.pemText,
      imported_by: userId,
      imported_at: now,
      parts: previous?.parts ?? JSON.stringify(DEFAULT_PARTS),
    })
    return peerId!
  })
  return { id, name: input.name, suite: suite.name, fingerprint, spoken: spokenFingerprint(fingerprint) }
}

/** A peer's parts as stored; anything unknown in the column is dropped (never widened). */
function partsOf(json: string): ExportPart[] {
  try {
    const parsed = JSON.parse(json) as unknown
    return Array.isArray(parsed) ? EXPORT_PARTS.filter((p) => parsed.includes(p)) : []
  } catch {
    return []
  }
}

export async function listPeers(db: Knex) {
  const rows = await db('exchange_peers')
    .orderBy('id', 'desc')
    .select('id', 'name', 'suite', 'fingerprint', 'imported_at', 'retired_at', 'parts')
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    suite: r.suite,
    fingerprint: r.fingerprint,
    spoken: spokenFingerprint(r.fingerprint),
    importedAt: Number(r.imported_at),
    retiredAt: r.retired_at ? Number(r.retired_at) : null,
    parts: partsOf(r.parts as string),
  }))
}

/** What packages to this peer may carry (the administrator's choice; audited by the router). */
export async function setPeerParts(db: Knex, peerId: number, parts: ExportPart[]) {
  const updated = await db('exchange_peers')
    .where('id', peerId)
    .update({ parts: JSON.stringify(EXPORT_PARTS.filter((p) => parts.includes(p))) })
  if (!updated) throw new AppError(ErrorCode.NotFound, 'no such peer')
  return (await listPeers(db)).find((p) => p.id === peerId)!
}

export async function senderKeys(db: Knex): Promise<Map<string, { publicPem: string; retired: boolean; name: string }>> {
  const rows = await db('exchange_peers').select('fingerprint', 'public_pem', 'retired_at', 'name')
  return new Map(rows.map((r) => [r.fingerprint, { publicPem: r.public_pem, retired: r.retired_at != null, name: r.name }]))
}

/** The peer packages go to: the one named, or the only active one. */
export async function recipientPeer(db: Knex, peerId?: number | null) {
  const q = db('exchange_peers').whereNull('retired_at')
  const rows = peerId ? await q.where('id', peerId) : await q
  if (rows.length !== 1)
    throw new AppError(ErrorCode.InvalidState, 'no single recipient', { reason: rows.length ? 'choose_peer' : 'no_peer' })
  const r = rows[0]!
  return { id: r.id, name: r.name, suite: r.suite, fingerprint: r.fingerprint, publicPem: r.public_pem, parts: partsOf(r.parts) }
}
