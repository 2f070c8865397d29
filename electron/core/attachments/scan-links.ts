// Stamped scans hang off two kinds of record: an archive entry (廉政记录, 考核结果 …) and a task event
// (进展报告, 完成情况). One service stores the file and links it, and one finds a linked scan again.
import { basename } from 'node:path'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import type { FieldKeys } from '../security/field-crypto'
import { readAttachment, storeAttachment } from './attachment-store'

/** What a scan is attached to. */
export type ScanOwner = { kind: 'entry'; entryId: number } | { kind: 'task-event'; eventId: number }

/** Where a scan was found: a person's archive (any entry) or one task event. */
export type ScanPlace = { kind: 'person'; personId: number } | { kind: 'task-event'; eventId: number }

export interface StoredFiles {
  db: Knex
  keys: FieldKeys
  dataDir: string
}

export interface LinkedScan {
  digest: string
  fileName: string
  mime: string
}

/** Stores the file at `path` (once per content) and links it to its owner; linking twice changes nothing. */
export async function attachScan(files: StoredFiles, owner: ScanOwner, path: string, now: number): Promise<LinkedScan> {
  const stored = await storeAttachment(files.db, files.keys, files.dataDir, path, now)
  const fileName = basename(path)
  if (owner.kind === 'entry') {
    await files
      .db('entry_attachments')
      .insert({ entry_id: owner.entryId, digest: stored.digest, file_name: fileName })
      .onConflict(['entry_id', 'digest'])
      .ignore()
  } else {
    await files
      .db('task_event_attachments')
      .insert({ event_id: owner.eventId, digest: stored.digest, file_name: fileName })
      .onConflict(['event_id', 'digest'])
      .ignore()
  }
  return { digest: stored.digest, fileName, mime: stored.mime }
}

/** The scan with this digest linked at `place`; a digest linked elsewhere is not found here. */
export async function findScan(db: Knex, place: ScanPlace, digest: string): Promise<LinkedScan> {
  const file =
    place.kind === 'person'
      ? await db('entry_attachments as ea')
          .join('archive_entries as e', 'e.id', 'ea.entry_id')
          .join('attachments as a', 'a.digest', 'ea.digest')
          .where({ 'e.person_id': place.personId, 'ea.digest': digest })
          .first<{ file_name: string; mime: string } | undefined>('ea.file_name', 'a.mime')
      : await db('task_event_attachments as ta')
          .join('attachments as a', 'a.digest', 'ta.digest')
          .where({ 'ta.event_id': place.eventId, 'ta.digest': digest })
          .first<{ file_name: string; mime: string } | undefined>('ta.file_name', 'a.mime')
  if (!file) throw new AppError(ErrorCode.NotFound, 'no such attachment')
  return { digest, fileName: file.file_name, mime: file.mime }
}

/** The scan's bytes, for showing in the app (base64 over IPC). */
export function scanContent(files: Omit<StoredFiles, 'db'>, scan: LinkedScan) {
  return { fileName: scan.fileName, mime: scan.mime, base64: readAttachment(files.keys, files.dataDir, scan.digest).toString('base64') }
}
