// The one typed door between renderer and main. Every procedure has an input schema (checked in
// the router before anything runs), an output schema (the renderer's types), who may call it, and
// whether it changes data (then the router writes it to the audit log).
import type { z } from 'zod'
import type { ProcedureName } from './names'
import { Role, type Access } from './roles'
import * as A from './schemas/auth'
import * as U from './schemas/users'
import * as N from './schemas/units'
import * as D from './schemas/dicts'
import * as S from './schemas/settings'
import * as L from './schemas/audit'
import * as C from './schemas/catalog'
import * as R from './schemas/records'
import * as P from './schemas/archives'
import * as V from './schemas/supervision'
import * as X from './schemas/exchange'
import * as B from './schemas/backup'
import * as K from './schemas/credit'
import { Empty, IdResult, Ok } from './schemas/common'
import { z as zod } from 'zod'

export interface ProcedureSpec {
  input: z.ZodType
  output: z.ZodType
  access: Access
  /** Written to the audit log (with affected ids and result). Mutations and exports are. */
  audited: boolean
}

// Who may call what (docs/roles.md; tests/main/role-matrix.test.ts calls every procedure as every role). 三员分立:
// the system administrator sets the system up (users, units, dictionaries, settings, holidays, exchange keys and
// peers) and touches no business data; the auditor reads the logs and nothing else.
const admin = [Role.Admin] as const
const auditor = [Role.Auditor] as const
/** Every role: the 工作台 shows each what waits for it. */
const signedIn = [Role.Admin, Role.Clerk, Role.Supervisor, Role.Auditor] as const
/** Reference data every working role needs (the unit tree, dictionaries, the calendar, the to-do counts). */
const staff = [Role.Admin, Role.Clerk, Role.Supervisor] as const
/** Business data to read and export: the clerks who keep it and the supervisors who review it. */
const business = [Role.Clerk, Role.Supervisor] as const
/** Entering, importing, reporting and sending business data. */
const editors = [Role.Clerk] as const
/** Decomposing a work plan and assigning its tasks: the clerk, or the supervisor as a 督查室 does. */
const planners = [Role.Clerk, Role.Supervisor] as const
/** The exchange page: keys and peers (administrator), the package log (clerk). */
const exchangeView = [Role.Admin, Role.Clerk] as const
const reviewers = [Role.Supervisor] as const
// Integrity archives are business data of the archive keepers (clerks) and supervisors only: the
// system administrator and the auditor (三员) do not read them.
const archivists = [Role.Clerk, Role.Supervisor] as const
const keepers = [Role.Clerk] as const

export const contract = {
  'setup:complete': { input: A.SetupInput, output: Ok, access: 'public', audited: true },
  // Restoring a backup instead of a fresh setup (a new PC): allowed only while the office is not set up.
  'setup:restore': { input: B.RestoreInput, output: B.RestoreResult, access: 'public', audited: false },
  // The start found the data folder damaged (or its keys gone): restoring a backup is all this app offers then.
  'recovery:restore': { input: B.RestoreInput, output: B.RestoreResult, access: 'public', audited: false },
  'auth:me': { input: Empty, output: A.Me, access: 'public', audited: false },
  'auth:login': { input: A.LoginInput, output: A.SessionUser, access: 'public', audited: false },
  'auth:logout': { input: Empty, output: Ok, access: 'public', audited: false },
  'auth:change-password': { input: A.ChangePasswordInput, output: Ok, access: 'session', audited: true },
  'auth:unlock': { input: A.UnlockInput, output: Ok, access: 'session', audited: false },
  'auth:heartbeat': { input: Empty, output: Ok, access: 'session', audited: false },
  'home:todo': { input: Empty, output: A.Workbench, access: signedIn, audited: false },
  'users:list': { input: U.UserQuery, output: U.UserPage, access: admin, audited: false },
  'users:create': { input: U.NewUser, output: IdResult, access: admin, audited: true },
  'users:update': { input: U.UserUpdate, output: IdResult, access: admin, audited: true },
  'users:set-disabled': { input: U.SetDisabledInput, output: IdResult, access: admin, audited: true },
  'users:reset-password': { input: U.ResetPasswordInput, output: IdResult, access: admin, audited: true },
  'units:tree': { input: Empty, output: N.UnitList, access: staff, audited: false },
  'units:create': { input: N.NewUnit, output: IdResult, access: admin, audited: true },
  'units:update': { input: N.UnitUpdate, output: IdResult, access: admin, audited: true },
  'units:delete': { input: N.UnitIdInput, output: IdResult, access: admin, audited: true },
  'dicts:types': { input: Empty, output: zod.array(D.DictType), access: staff, audited: false },
  'dicts:items': { input: D.DictItemsInput, output: zod.array(D.DictItem), access: staff, audited: false },
  'dicts:create-type': { input: D.NewDictType, output: zod.object({ code: zod.string() }), access: admin, audited: true },
  'dicts:save-item': { input: D.SaveDictItem, output: IdResult, access: admin, audited: true },
  'settings:get': { input: Empty, output: S.Settings, access: admin, audited: false },
  'settings:update': { input: S.SettingsUpdate, output: Ok, access: admin, audited: true },
  'backup:status': { input: Empty, output: B.BackupStatus, access: admin, audited: false },
  'backup:set-passphrase': { input: B.PassphraseInput, output: Ok, access: admin, audited: true },
  'backup:save-settings': { input: B.BackupSettingsInput, output: Ok, access: admin, audited: true },
  'backup:export-start': { input: Empty, output: B.BackupStartResult, access: admin, audited: true },
  'backup:job': { input: B.BackupJobInput, output: B.BackupJob, access: admin, audited: false },
  'backup:cancel': { input: B.BackupJobInput, output: B.BackupJob, access: admin, audited: false },
  // Not audited by the router: the database it would write to is the one being replaced. The restored folder
  // records the restore itself (an incident row), and the old folder is kept beside it.
  'backup:restore': { input: B.RestoreInput, output: B.RestoreResult, access: admin, audited: false },
  'audit:list': { input: L.AuditQuery, output: L.AuditPage, access: auditor, audited: false },
  'audit:logins': { input: L.LoginQuery, output: L.LoginPage, access: auditor, audited: false },
  'audit:export': { input: L.AuditExportInput, output: L.ExportResult, access: auditor, audited: true },
  'audit:verify': { input: Empty, output: L.ChainCheck, access: auditor, audited: false },
  'catalog:categories': { input: Empty, output: zod.array(C.CatalogCategory), access: business, audited: false },
  'catalog:list': { input: C.CatalogQuery, output: C.CatalogPage, access: business, audited: false },
  'catalog:get': { input: C.ItemIdInput, output: C.CatalogItem, access: business, audited: false },
  'catalog:versions': { input: C.VersionsInput, output: zod.array(C.CatalogSummary), access: business, audited: false },
  'catalog:save-draft': { input: C.SaveDraftInput, output: IdResult, access: editors, audited: true },
  'catalog:submit': { input: C.ItemIdInput, output: IdResult, access: editors, audited: true },
  'catalog:review': { input: C.ReviewInput, output: IdResult, access: reviewers, audited: true },
  'catalog:new-version': { input: C.ItemIdInput, output: IdResult, access: editors, audited: true },
  'catalog:retire': { input: C.ItemIdInput, output: IdResult, access: reviewers, audited: true },
  'catalog:compare': { input: C.CompareInput, output: C.CompareResult, access: business, audited: false },
  'records:list': { input: R.RecordQuery, output: R.RecordPage, access: business, audited: false },
  'records:stats': { input: R.StatsInput, output: R.RecordStats, access: business, audited: false },
  'records:get': { input: R.RecordIdInput, output: R.RecordDetail, access: business, audited: false },
  'records:create': { input: R.NewRecordInput, output: R.NewRecordResult, access: editors, audited: true },
  'records:template': { input: R.ItemCodeInput, output: R.FileResult, access: business, audited: false },
  'records:entry-defaults': { input: R.ItemCodeInput, output: R.EntryDefaults, access: editors, audited: false },
  'records:export': { input: R.RecordExportInput, output: R.FileResult, access: business, audited: true },
  // The import job writes its own audit row (outcome, batch, rows) inside the import's transaction.
  'records:import-open': { input: R.ItemCodeInput, output: R.ImportOpenResult, access: editors, audited: false },
  'records:import-job': { input: R.JobIdInput, output: R.ImportJob, access: editors, audited: false },
  'records:import-cancel': { input: R.JobIdInput, output: R.ImportJob, access: editors, audited: false },
  'records:import-commit': { input: R.ImportCommitInput, output: R.ImportJob, access: editors, audited: true },
  'records:import-errors': { input: R.JobIdInput, output: R.FileResult, access: editors, audited: false },
  'records:file-action': { input: R.FileActionInput, output: IdResult, access: editors, audited: true },
  'records:decide-action': { input: R.DecideActionInput, output: IdResult, access: reviewers, audited: true },
  // A whole import batch taken back before it is sent: asked by a clerk, decided by another person.
  'records:batch': { input: R.BatchInput, output: R.BatchState, access: business, audited: false },
  'records:request-rollback': { input: R.RollbackRequestInput, output: Ok, access: editors, audited: true },
  'records:decide-rollback': { input: R.RollbackDecisionInput, output: R.RollbackResult, access: reviewers, audited: true },
  // 更正 / 撤回: filed by the supplying unit's clerks (or the county office), decided by another person.
  'records:propose-correction': { input: R.ProposeCorrectionInput, output: IdResult, access: editors, audited: true },
  'records:propose-withdrawal': { input: R.ProposeWithdrawalInput, output: IdResult, access: editors, audited: true },
  'records:decide-change': { input: R.DecideChangeInput, output: R.DecideChangeResult, access: reviewers, audited: true },
  // The month's 归集 report (月度通报): read, exported as Excel, saved as the printed PDF.
  'stats:monthly': { input: R.MonthInput, output: R.MonthlyReport, access: business, audited: false },
  'stats:monthly-export': { input: R.MonthInput, output: R.FileResult, access: business, audited: true },
  'stats:monthly-pdf': { input: R.MonthInput, output: R.FileResult, access: business, audited: true },
  // 公示期限 rules: everyone who works with records reads them; a supervisor adds or corrects the office's own.
  'disclosure:rules': { input: Empty, output: zod.array(R.DisclosureRuleView), access: business, audited: false },
  'disclosure:save-rule': { input: R.SaveDisclosureRule, output: R.DisclosureRuleChange, access: reviewers, audited: true },
  'disclosure:remove-rule': { input: R.RecordIdInput, output: R.DisclosureRuleChange, access: reviewers, audited: true },
  'calendar:year': { input: R.CalendarYearInput, output: R.CalendarYearView, access: staff, audited: false },
  'calendar:save-day': { input: R.SaveOverrideInput, output: Ok, access: admin, audited: true },
  'calendar:delete-day': { input: R.DeleteOverrideInput, output: Ok, access: admin, audited: true },
  'calendar:confirm-year': { input: R.CalendarYearInput, output: Ok, access: admin, audited: true },
  'people:list': { input: P.PersonQuery, output: P.PersonPage, access: archivists, audited: false },
  'people:get': { input: P.PersonIdInput, output: P.PersonSummary, access: archivists, audited: false },
  'people:create': { input: P.NewPerson, output: IdResult, access: keepers, audited: true },
  'people:update': { input: P.PersonUpdate, output: IdResult, access: keepers, audited: true },
  'people:import': { input: Empty, output: P.PeopleImportResult, access: keepers, audited: true },
  'people:template': { input: Empty, output: R.FileResult, access: keepers, audited: false },
  'archives:request-access': { input: P.AccessRequestInput, output: IdResult, access: archivists, audited: true },
  'archives:requests': { input: P.AccessRequestQuery, output: P.AccessRequestPage, access: archivists, audited: false },
  'archives:decide-access': { input: P.DecideAccessInput, output: IdResult, access: reviewers, audited: true },
  // Every look at a full archive, every unmasking, print and export is an audited call.
  'archives:open': { input: P.PersonIdInput, output: P.Archive, access: archivists, audited: true },
  'archives:reveal-id': { input: P.PersonIdInput, output: P.RevealResult, access: archivists, audited: true },
  'archives:add-entry': {
    input: P.EntryInput,
    output: zod.object({ id: zod.number().int(), gradeChanged: zod.boolean() }),
    access: keepers,
    audited: true,
  },
  'archives:attach': {
    input: P.AttachInput,
    output: zod.object({ attached: zod.boolean(), fileName: zod.string().nullable() }),
    access: keepers,
    audited: true,
  },
  'archives:grade-override': { input: P.GradeOverrideInput, output: Ok, access: reviewers, audited: true },
  'archives:rules': { input: Empty, output: zod.array(P.GradeRule.extend({ id: zod.number().int() })), access: archivists, audited: false },
  'archives:save-rule': {
    input: P.GradeRule,
    output: zod.object({ id: zod.number().int(), regraded: zod.number().int() }),
    access: reviewers,
    audited: true,
  },
  'archives:recuse': { input: P.RecusalInput, output: IdResult, access: reviewers, audited: true },
  // Names of the people who work on archives, for choosing whom a recusal applies to (no other account data).
  'archives:colleagues': {
    input: Empty,
    output: zod.array(zod.object({ id: zod.number().int(), displayName: zod.string() })),
    access: reviewers,
    audited: false,
  },
  'archives:log-print': { input: P.PersonIdInput, output: Ok, access: archivists, audited: true },
  'archives:attachment': { input: P.AttachmentInput, output: P.AttachmentContent, access: archivists, audited: true },
  'archives:save-attachment': { input: P.AttachmentInput, output: R.FileResult, access: archivists, audited: true },
  'plans:parse': { input: Empty, output: V.PlanDraft, access: planners, audited: false },
  'plans:confirm': { input: V.PlanConfirmInput, output: V.PlanConfirmResult, access: planners, audited: true },
  'plans:list': { input: Empty, output: zod.array(V.PlanSummary), access: business, audited: false },
  'plans:tasks': { input: V.PlanIdInput, output: zod.array(V.SavedTask), access: business, audited: false },
  'tasks:get': { input: V.TaskIdInput, output: V.TaskDetail, access: business, audited: false },
  'tasks:assign': { input: V.TaskIdInput, output: Ok, access: planners, audited: true },
  'tasks:assign-many': { input: V.TaskIdsInput, output: V.AssignManyResult, access: planners, audited: true },
  'tasks:sign': { input: V.TaskUnitInput, output: Ok, access: editors, audited: true },
  'tasks:progress': { input: V.ProgressInput, output: IdResult, access: editors, audited: true },
  'tasks:request-extension': { input: V.ExtensionInput, output: IdResult, access: editors, audited: true },
  'tasks:decide-extension': { input: V.ExtensionDecision, output: Ok, access: reviewers, audited: true },
  'tasks:submit': { input: V.SubmitInput, output: Ok, access: editors, audited: true },
  'tasks:review': { input: V.ReviewInput, output: Ok, access: reviewers, audited: true },
  'tasks:archive': { input: V.TaskIdInput, output: Ok, access: reviewers, audited: true },
  'tasks:due': { input: Empty, output: zod.array(V.DueItem), access: business, audited: false },
  'tasks:review-queue': { input: Empty, output: zod.array(V.ReviewItem), access: reviewers, audited: false },
  'letters:issue': {
    input: V.IssueLetterInput,
    output: zod.object({ id: zod.number().int(), docNumber: zod.string() }),
    access: reviewers,
    audited: true,
  },
  'letters:get': { input: V.LetterIdInput, output: V.Letter, access: business, audited: false },
  'letters:export-docx': { input: V.LetterIdInput, output: R.FileResult, access: business, audited: true },
  'letters:log-print': { input: V.LetterIdInput, output: Ok, access: business, audited: true },
  'tasks:attach': {
    input: V.EventIdInput,
    output: zod.object({ attached: zod.boolean(), fileName: zod.string().nullable() }),
    access: editors,
    audited: true,
  },
  'tasks:attachment': { input: V.EventAttachmentInput, output: P.AttachmentContent, access: business, audited: true },
  'tasks:add': { input: V.TaskAddInput, output: IdResult, access: planners, audited: true },
  'tasks:split': { input: V.TaskSplitInput, output: IdResult, access: planners, audited: true },
  'tasks:review-many': { input: V.ReviewManyInput, output: V.ReviewManyResult, access: reviewers, audited: true },
  'plans:drafts': { input: Empty, output: zod.array(V.PlanDraftSummary), access: planners, audited: false },
  'plans:draft': { input: V.PlanDraftIdInput, output: V.PlanDraft, access: planners, audited: false },
  'tasks:edit': { input: V.TaskEditInput, output: V.TaskEditResult, access: planners, audited: true },
  'tasks:delete': { input: V.TaskDeleteInput, output: V.DeletedCount, access: planners, audited: true },
  'plans:delete': { input: V.PlanDeleteInput, output: V.DeletedCount, access: planners, audited: true },
  'tasks:create': { input: V.ManualTaskInput, output: IdResult, access: reviewers, audited: true },
  'tasks:publish': { input: V.TaskIdInput, output: V.PublishResult, access: reviewers, audited: true },
  'tasks:urge': { input: V.UrgeInput, output: IdResult, access: planners, audited: true },
  'tasks:log-contact': { input: V.ContactInput, output: IdResult, access: planners, audited: true },
  'tasks:ledger': { input: V.LedgerQuery, output: zod.array(V.LedgerRow), access: business, audited: false },
  'tasks:export-ledger': { input: V.LedgerQuery, output: R.FileResult, access: business, audited: true },
  'tasks:feedback-form': { input: V.FeedbackFormInput, output: R.FileResult, access: planners, audited: true },
  'tasks:feedback-preview': { input: Empty, output: V.FeedbackImportResult, access: editors, audited: false },
  'tasks:feedback-import': { input: Empty, output: V.FeedbackImportResult, access: editors, audited: true },
  'letters:register': { input: V.LetterRegisterQuery, output: zod.array(V.LetterRegisterRow), access: business, audited: false },
  'letters:export-register': { input: V.LetterRegisterQuery, output: R.FileResult, access: business, audited: true },
  'letters:reply': { input: V.LetterReplyInput, output: IdResult, access: editors, audited: true },
  'letters:export-pdf': { input: V.LetterIdInput, output: R.FileResult, access: business, audited: true },
  'supervision:stats': { input: V.StatsInput, output: V.SupervisionStats, access: business, audited: false },
  'supervision:export-circular': { input: V.StatsInput, output: R.FileResult, access: business, audited: true },
  'supervision:settings': { input: Empty, output: V.SupervisionSettings, access: business, audited: false },
  'supervision:save-settings': { input: V.SupervisionSettings, output: Ok, access: reviewers, audited: true },
  'exchange:status': { input: Empty, output: X.ExchangeStatus, access: exchangeView, audited: false },
  'exchange:import-peer': { input: X.PeerImportInput, output: X.PeerImportResult, access: admin, audited: true },
  'exchange:export-public': { input: Empty, output: R.FileResult, access: admin, audited: true },
  'exchange:rotate-key': { input: Empty, output: X.ExchangeKey, access: admin, audited: true },
  'exchange:set-peer-parts': { input: X.PeerPartsInput, output: X.ExchangePeer, access: admin, audited: true },
  'exchange:preview': { input: X.ExportInput, output: X.ExportPreview, access: editors, audited: false },
  'exchange:export-start': { input: X.ExportInput, output: X.JobStart, access: editors, audited: true },
  'exchange:import-start': { input: Empty, output: X.JobStart, access: editors, audited: true },
  'exchange:job': { input: X.JobIdInput, output: X.ExchangeJob, access: editors, audited: false },
  'exchange:cancel': { input: X.JobIdInput, output: X.ExchangeJob, access: editors, audited: true },
  'archives:import-assessments': { input: P.AssessmentImportInput, output: P.PeopleImportResult, access: keepers, audited: true },
  'archives:export-pdf': { input: P.PersonIdInput, output: R.FileResult, access: archivists, audited: true },
  'lists:list': { input: K.ListQuery, output: K.ListPage, access: business, audited: false },
  'lists:save': { input: K.NewListEntry, output: K.SaveListResult, access: editors, audited: true },
  'lists:remove': { input: K.RemoveListEntry, output: Ok, access: editors, audited: true },
  'lists:template': { input: Empty, output: R.FileResult, access: business, audited: false },
  'lists:import': { input: K.ListImportInput, output: K.ListImportResult, access: editors, audited: true },
  'checks:run': { input: K.CheckInput, output: K.CheckRunResult, access: business, audited: true },
  'checks:run-file': { input: K.CheckFileInput, output: K.CheckRunResult, access: business, audited: true },
  'checks:list': { input: K.CheckQuery, output: K.CheckPage, access: business, audited: false },
  'checks:get': { input: K.CheckIdInput, output: K.CheckDetail, access: business, audited: false },
  'checks:export': { input: K.CheckIdInput, output: R.FileResult, access: business, audited: true },
  'checks:export-pdf': { input: K.CheckIdInput, output: R.FileResult, access: business, audited: true },
  'checks:log-print': { input: K.CheckIdInput, output: Ok, access: business, audited: true },
  'cases:create': { input: K.NewCase, output: IdResult, access: editors, audited: true },
  'cases:feedback': { input: K.CaseFeedback, output: Ok, access: editors, audited: true },
  'cases:list': { input: K.CaseQuery, output: K.CasePage, access: business, audited: false },
  'cases:stats': { input: K.CaseStatsInput, output: K.CaseStats, access: business, audited: false },
  'commitments:list': { input: K.CommitmentQuery, output: K.CommitmentPage, access: business, audited: false },
  'commitments:create': { input: K.NewCommitment, output: IdResult, access: editors, audited: true },
  'commitments:attach': {
    input: K.CommitmentIdInput,
    output: zod.object({ attached: zod.boolean(), fileName: zod.string().nullable() }),
    access: editors,
    audited: true,
  },
  'commitments:scan': { input: K.CommitmentIdInput, output: P.AttachmentContent, access: business, audited: true },
  'commitments:mark-kept': { input: K.MarkKeptInput, output: Ok, access: editors, audited: true },
  'commitments:propose-breach': { input: K.ProposeBreach, output: Ok, access: editors, audited: true },
  'commitments:decide-breach': {
    input: K.DecideBreach,
    output: zod.object({ recordId: zod.number().int().nullable() }),
    access: reviewers,
    audited: true,
  },
  'reports:create': { input: K.ReportInput, output: IdResult, access: business, audited: true },
  'reports:get': { input: K.ReportIdInput, output: K.CreditReport, access: business, audited: false },
  'reports:export-pdf': { input: K.ReportIdInput, output: R.FileResult, access: business, audited: true },
  'reports:log-print': { input: K.ReportIdInput, output: Ok, access: business, audited: true },
  'lists:export': { input: K.ListQuery, output: R.FileResult, access: business, audited: true },
  'cases:export': { input: K.CaseQuery, output: R.FileResult, access: business, audited: true },
  'commitments:export': { input: K.CommitmentQuery, output: R.FileResult, access: business, audited: true },
  'reports:list': { input: K.ReportQuery, output: K.ReportPage, access: business, audited: false },
  'lists:import-errors': { input: Empty, output: R.FileResult, access: editors, audited: false },
} as const satisfies Record<ProcedureName, ProcedureSpec>

export type Contract = typeof contract
export type Input<N extends ProcedureName> = z.input<Contract[N]['input']>
export type ParsedInput<N extends ProcedureName> = z.output<Contract[N]['input']>
export type Output<N extends ProcedureName> = z.output<Contract[N]['output']>

/**
 * Whether someone holding `roles` may call `name`: the rule the router enforces, and the one menus, routes and
 * buttons follow, so the screen never offers what the router refuses.
 */
export function allowedFor(name: ProcedureName, roles: readonly Role[]): boolean {
  const access = contract[name].access
  return access === 'public' || access === 'session' || roles.some((r) => (access as readonly Role[]).includes(r))
}

export * from './names'
export * from './roles'
export * from './errors'
