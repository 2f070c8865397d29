// The tables as knex sees them: `db('users')` returns UserRow rows, `.first('id', 'name')` picks from them.
// One interface per table, as the migrations leave it (SQLite returns booleans as 0/1 and times as integer ms).
// Joined and aliased queries ('users as u') are not typed by knex: they name their row type at the query.
// Kept in step with the migrations by tests/db/tables.test.ts.

import type { EntryKind, Grade, PERSON_STATUSES } from '../electron/contract/schemas/archives'
import type { LoginResult } from '../electron/contract/schemas/audit'
import type { CatalogStatus, DishonestyLevel, FieldType, InfoClass } from '../electron/contract/schemas/catalog'
import type { UnitKind } from '../electron/contract/schemas/units'
import type { PackageKind, SuiteName } from '../electron/contract/schemas/exchange'
import type { UnitStatus } from '../electron/contract/schemas/supervision'
import type { Role } from '../electron/contract/roles'
import type { CommitmentStatus, HitSource, ListSource, SubjectKind, Verdict } from '../electron/contract/schemas/credit'

type PersonStatus = (typeof PERSON_STATUSES)[number]

/** SQLite has no boolean: a column written as true/false reads back as 1/0. */
export type SqlBool = boolean | 0 | 1

export interface ArchiveAccessRow {
  id: number
  person_id: number
  requester_id: number
  reason: string
  days: number
  status: string
  approver_id: number | null
  decision_comment: string | null
  decided_at: number | null
  valid_until: number | null
  created_at: number
}

export interface ArchiveEntryRow {
  id: number
  person_id: number
  kind: EntryKind
  year: number | null
  result: string | null
  title: string
  doc_number: string | null
  doc_date: string
  issuer: string
  details: string | null
  effect_until: string | null
  created_by: number | null
  created_at: number
}

export interface ArchiveRecusalRow {
  id: number
  user_id: number
  person_id: number
  reason: string
  created_at: number
}

export interface AttachmentRow {
  digest: string
  size: number
  mime: string
  created_at: number
  sm3_sealed: string | null
  /** SM3 of the sealed file as written (format 2 files; null before). */
  file_sm3: string | null
}

export interface AuditLogRow {
  id: number
  at: number
  actor_user_id: number | null
  actor_name: string | null
  procedure: string
  affected_ids: string
  result: string
  via: string
  prev_hash: string
  hash: string
  mac: string | null
  workstation: string | null
}

export interface CalendarYearRow {
  year: number
  source: string
  confirmed_at: number
}

export interface CatalogCategoryRow {
  code: string
  name: string
  parent_code: string | null
}

export interface CatalogFieldRow {
  id: number
  item_id: number
  sort_order: number
  code: string
  name: string
  type: FieldType
  max_length: number | null
  required: SqlBool
  dict_type_code: string | null
  check_rule: string | null
  sensitive: SqlBool
}

export interface CatalogItemRow {
  id: number
  code: string
  version: number
  status: CatalogStatus
  category_code: string
  name: string
  info_class: InfoClass
  dishonesty_level: DishonestyLevel | null
  subject_types: string
  supplier_unit_id: number | null
  disclosure: string
  update_frequency: string
  collection_method: string
  legal_basis: string | null
  source: string
  disclosure_months: number | null
  retention_years: number | null
  created_by: number | null
  reviewed_by: number | null
  reviewed_at: number | null
  review_comment: string | null
  created_at: number
  updated_at: number
}

export interface CreditListEntryRow {
  id: number
  subject_name: string
  subject_type: SubjectKind
  subject_code: string | null
  subject_id_sealed: string | null
  subject_id_masked: string | null
  subject_key: string
  list_kind: string
  decided_by: string
  basis: string
  listed_on: string
  valid_until: string | null
  removed_on: string | null
  removed_reason: string | null
  source: ListSource
  external_id: string | null
  package_id: number | null
  batch_id: number | null
  note: string | null
  created_by: number | null
  created_at: number
  updated_at: number
}

export interface CreditCheckRow {
  id: number
  year: number
  seq: number
  purpose: string
  file_name: string | null
  subject_count: number
  hit_count: number
  checked_by: number | null
  checked_by_name: string | null
  unit_id: number | null
  checked_at: number
}

export interface CreditCheckResultRow {
  id: number
  check_id: number
  seq: number
  subject_name: string
  subject_shown: string | null
  subject_key: string | null
  verdict: Verdict
  name_only: SqlBool
  problem: string | null
  hits: string
}

export interface SanctionCaseRow {
  id: number
  uid: string
  check_result_id: number | null
  subject_name: string
  subject_shown: string | null
  subject_key: string
  direction: 'punish' | 'reward'
  basis_source: HitSource
  basis_text: string
  measure: string | null
  applied: SqlBool
  not_applied_reason: string | null
  deciding_unit_id: number
  decision_doc: string | null
  decided_on: string
  feedback: string | null
  created_by: number | null
  created_at: number
  updated_at: number
}

export interface CommitmentRow {
  id: number
  subject_name: string
  subject_type: SubjectKind
  subject_code: string | null
  subject_id_sealed: string | null
  subject_id_masked: string | null
  subject_key: string
  uid: string
  commitment_type: string
  reason: string
  content: string | null
  committed_on: string
  unit_id: number
  scan_digest: string | null
  scan_file_name: string | null
  status: CommitmentStatus
  kept_on: string | null
  breach_facts: string | null
  breach_doc: string | null
  breach_decided_on: string | null
  breach_proposed_by: number | null
  breach_proposed_at: number | null
  breach_decided_by: number | null
  breach_decided_at: number | null
  breach_refused_reason: string | null
  breach_record_id: number | null
  created_by: number | null
  created_at: number
  updated_at: number
}

export interface CreditReportRow {
  id: number
  year: number
  seq: number
  subject_name: string
  subject_shown: string | null
  subject_key: string
  subject_type: SubjectKind
  purpose: string
  authorisation: string | null
  period_from: string
  period_to: string
  sections: string
  produced_by: number | null
  produced_by_name: string | null
  produced_at: number
}

export interface DictItemRow {
  id: number
  type_code: string
  value: string
  label: string
  sort_order: number
  enabled: SqlBool
  /** JSON array of other spellings departments use; matched after normalisation. */
  aliases: string | null
}

export interface DictTypeRow {
  code: string
  name: string
  description: string | null
  is_system: SqlBool
}

export interface DisclosureRuleRow {
  id: number
  effective_from: string
  level: DishonestyLevel
  min_months: number
  max_months: number
  basis: string
  /** Came with the software (national regimes); an office-added rule is false. */
  shipped: SqlBool
  note: string | null
  updated_by: number | null
  updated_at: number | null
}

export interface EntryAttachmentRow {
  entry_id: number
  digest: string
  file_name: string
}

export interface ExchangeKeyRow {
  id: number
  suite: SuiteName
  fingerprint: string
  public_pem: string
  private_sealed: string
  created_at: number
  retired_at: number | null
}

export interface ExchangePackageRow {
  id: number
  direction: 'out' | 'in'
  peer_fingerprint: string
  peer_name: string
  kind: PackageKind
  sequence: number
  digest: string
  file_name: string
  size: number
  full: SqlBool
  counts: string
  watermark: string | null
  warnings: string | null
  acknowledged_by: number | null
  acknowledged_at: number | null
  created_by: number | null
  created_at: number
  state: 'writing' | 'done' | 'abandoned'
}

export interface ExchangePeerRow {
  id: number
  name: string
  suite: SuiteName
  fingerprint: string
  public_pem: string
  imported_by: number | null
  imported_at: number
  retired_at: number | null
  parts: string
}

export interface GradeHistoryRow {
  id: number
  person_id: number
  grade: Grade
  source: 'rules' | 'override'
  reasons: string
  decided_by: number | null
  at: number
}

export interface GradeRuleRow {
  id: number
  name: string
  entry_kind: EntryKind
  results: string | null
  within_months: number
  grade: Grade
  enabled: SqlBool
  updated_at: number
}

export interface HolidayOverrideRow {
  date: string
  kind: string
  name: string
  updated_at: number
}

export interface ImportBatchRow {
  id: number
  item_code: string
  item_id: number
  file_name: string
  mode: string
  rows: number
  imported: number
  rejected: number
  late: number
  supplier_unit_id: number | null
  created_by: number | null
  via: string
  created_at: number
  rollback_requested_by: number | null
  rollback_requested_at: number | null
  rollback_reason: string | null
  rolled_back_by: number | null
  rolled_back_at: number | null
}

export interface LoginLogRow {
  id: number
  at: number
  username: string
  result: LoginResult
  via: string
  prev_mac: string | null
  mac: string | null
  workstation: string | null
}

export interface LoginThrottleRow {
  username_key: string
  failures: number
  locked_until: number | null
  updated_at: number
}

export interface OrgUnitRow {
  id: number
  uid: string
  parent_id: number | null
  name: string
  kind: UnitKind
  credit_code: string | null
  region_code: string | null
  sort_order: number
  enabled: SqlBool
  created_at: number
  updated_at: number
}

export interface PersonRow {
  id: number
  uid: string
  name: string
  id_sealed: string
  id_index: string
  id_masked: string
  sex: 'M' | 'F'
  unit_id: number
  post: string | null
  rank: string | null
  political_status: string | null
  entry_date: string
  status: PersonStatus
  status_date: string | null
  user_id: number | null
  grade: Grade
  rules_grade: Grade
  grade_source: 'rules' | 'override'
  created_by: number | null
  created_at: number
  updated_at: number
  transferred_to: string | null
}

export interface PlanRow {
  id: number
  uid: string
  title: string
  issuer: string | null
  doc_number: string | null
  year: number
  source_file: string | null
  external_id: string | null
  created_by: number | null
  created_at: number
  kind: 'document' | 'manual'
}

export interface RecordActionRow {
  id: number
  record_id: number
  kind: string
  status: string
  reason: string
  documents: string
  applicant: string
  filed_by: number
  filed_at: number
  decided_by: number | null
  decided_at: number | null
  decision_comment: string | null
}

export interface RecordRow {
  id: number
  uid: string
  item_code: string
  item_id: number
  subject_name: string
  subject_type: string | null
  subject_code: string | null
  subject_id_index: string | null
  subject_key: string
  doc_number: string | null
  decision_date: string | null
  deadline_date: string | null
  reported_on: string
  is_late: SqlBool
  data: string
  sealed: string | null
  supplier_unit_id: number | null
  batch_id: number | null
  created_by: number | null
  created_at: number
  dishonesty_level: DishonestyLevel | null
  repairable_from: string | null
  disclosure_ends_on: string | null
  repaired_on: string | null
  revoked_on: string | null
  acknowledged_in: number | null
  version: number
  changed_at: number | null
  withdrawn_on: string | null
  withdrawal_doc: string | null
  rejected_code: string | null
  rejected_reason: string | null
  rejected_at: number | null
  rejected_in: number | null
}

export interface RecordRejectionRow {
  id: number
  record_id: number
  receipt_id: number
  code: string
  reason: string
  at: number
}

/** Kept by triggers on records (migration 20261207090000_record_counters): never written by app code. */
export interface RecordCountRow {
  item_code: string
  /** 0: no supplier unit. */
  unit_id: number
  total: number
  late: number
  rejected: number
}

/** Live records (neither revoked nor repaired) per item and last day of disclosure; kept by triggers on records. */
export interface RecordDisclosureDayRow {
  item_code: string
  ends_on: string
  n: number
}

export interface RecordChangeRow {
  id: number
  record_id: number
  kind: 'correction' | 'withdrawal'
  status: 'pending' | 'approved' | 'rejected'
  reason: string
  document: string | null
  proposed: string | null
  version: number | null
  previous_data: string | null
  previous_sealed: string | null
  filed_by: number
  filed_at: number
  decided_by: number | null
  decided_at: number | null
  decision_comment: string | null
}

export interface SettingRow {
  key: string
  value: string
}

export interface SupervisionLetterRow {
  id: number
  year: number
  seq: number
  doc_number: string
  task_id: number
  unit_names: string
  new_deadline: string
  body: string
  created_by: number
  created_at: number
  level: 'reminder' | 'letter' | 'notice'
}

export interface LetterRecipientRow {
  id: number
  letter_id: number
  task_unit_id: number
  previous_deadline: string | null
  reply_event_id: number | null
  replied_at: number | null
}

export interface SupervisionContactRow {
  id: number
  task_id: number
  task_unit_id: number | null
  kind: 'meeting' | 'phone' | 'onsite'
  held_on: string
  held_by: string
  counterpart: string
  agreed: string
  next_check: string | null
  event_id: number
  created_at: number
}

export interface PlanDraftRow {
  id: number
  external_id: string
  title: string
  issuer: string | null
  doc_number: string | null
  year: number
  tasks: string
  sender: string
  created_at: number
}

export interface UnitIgnoredNameRow {
  name: string
  created_at: number
}

export interface TaskEvaluationRow {
  task_unit_id: number
  quality: number
  efficiency: number
  satisfaction: number
  score: number
  comment: string | null
  evaluated_by: number
  evaluated_at: number
}

export interface TaskEventAttachmentRow {
  event_id: number
  digest: string
  file_name: string
}

export interface TaskEventRow {
  id: number
  task_id: number
  task_unit_id: number | null
  kind: string
  text: string | null
  percent: number | null
  new_deadline: string | null
  decision: string | null
  status: string
  actor_id: number | null
  at: number
  actor_label: string | null
  via: string | null
}

export interface TaskUnitRow {
  id: number
  task_id: number
  unit_id: number
  role: string
  status: UnitStatus
  deadline: string | null
  percent: number
  submitted_by: number | null
}

export interface TaskRow {
  id: number
  uid: string
  plan_id: number
  parent_id: number | null
  path: string
  number: string
  title: string
  section: string
  deadline: string | null
  deadline_text: string | null
  recurring: string | null
  source_text: string
  status: string
  external_id: string | null
  sort_order: number
  created_at: number
  basis_kind: string | null
  basis_text: string | null
  basis_doc: string | null
  basis_date: string | null
  supervision_type: string | null
  urgency: string | null
  created_by: number | null
  publish_requested_by: number | null
  assigned_at: number | null
}

export interface UnitAliasRow {
  alias: string
  unit_id: number
  created_at: number
}

export interface UserRoleRow {
  user_id: number
  role: Role
}

export interface UserRow {
  id: number
  username: string
  display_name: string
  password_hash: string
  must_change_password: SqlBool
  disabled: SqlBool
  unit_id: number | null
  password_changed_at: number
  last_login_at: number | null
  created_at: number
  updated_at: number
  archive_scope: 'unit' | 'subtree' | 'all'
}

declare module 'knex/types/tables' {
  interface Tables {
    archive_access: ArchiveAccessRow
    archive_entries: ArchiveEntryRow
    archive_recusals: ArchiveRecusalRow
    attachments: AttachmentRow
    audit_log: AuditLogRow
    calendar_years: CalendarYearRow
    catalog_categories: CatalogCategoryRow
    catalog_fields: CatalogFieldRow
    catalog_items: CatalogItemRow
    commitments: CommitmentRow
    credit_check_results: CreditCheckResultRow
    credit_checks: CreditCheckRow
    credit_list_entries: CreditListEntryRow
    credit_reports: CreditReportRow
    dict_items: DictItemRow
    dict_types: DictTypeRow
    disclosure_rules: DisclosureRuleRow
    entry_attachments: EntryAttachmentRow
    exchange_keys: ExchangeKeyRow
    exchange_packages: ExchangePackageRow
    exchange_peers: ExchangePeerRow
    grade_history: GradeHistoryRow
    grade_rules: GradeRuleRow
    holiday_overrides: HolidayOverrideRow
    import_batches: ImportBatchRow
    login_log: LoginLogRow
    login_throttle: LoginThrottleRow
    org_units: OrgUnitRow
    people: PersonRow
    plans: PlanRow
    record_actions: RecordActionRow
    records: RecordRow
    record_changes: RecordChangeRow
    record_counts: RecordCountRow
    record_disclosure_days: RecordDisclosureDayRow
    record_rejections: RecordRejectionRow
    sanction_cases: SanctionCaseRow
    settings: SettingRow
    supervision_letters: SupervisionLetterRow
    letter_recipients: LetterRecipientRow
    supervision_contacts: SupervisionContactRow
    task_evaluations: TaskEvaluationRow
    unit_ignored_names: UnitIgnoredNameRow
    plan_drafts: PlanDraftRow
    task_event_attachments: TaskEventAttachmentRow
    task_events: TaskEventRow
    task_units: TaskUnitRow
    tasks: TaskRow
    unit_aliases: UnitAliasRow
    user_roles: UserRoleRow
    users: UserRow
  }
}
