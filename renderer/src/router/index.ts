import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import type { ProcedureName } from '../../../electron/contract'
import { t } from '../locales/zh-CN'
import { useSessionStore } from '../stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** The procedure the page is built on: it opens only for users the contract lets call it (allowedFor). */
    requires?: ProcedureName
    /** A detail page's own name in the breadcrumb, under the list it belongs to (`parent`). */
    title?: string
    parent?: string
    /** Pages outside the shell that need no login. */
    public?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/setup', component: () => import('../views/setup/SetupWizard.vue'), meta: { public: true } },
  { path: '/recovery', component: () => import('../views/setup/RecoveryPage.vue'), meta: { public: true } },
  { path: '/login', component: () => import('../views/auth/LoginPage.vue'), meta: { public: true } },
  { path: '/change-password', component: () => import('../views/auth/ChangePasswordPage.vue') },
  {
    path: '/',
    component: () => import('../components/AppShell.vue'),
    children: [
      { path: '', component: () => import('../views/home/HomePage.vue') },
      { path: 'system/users', component: () => import('../views/system/UsersPage.vue'), meta: { requires: 'users:list' } },
      { path: 'system/units', component: () => import('../views/system/UnitsPage.vue'), meta: { requires: 'units:create' } },
      { path: 'system/dicts', component: () => import('../views/system/DictsPage.vue'), meta: { requires: 'dicts:save-item' } },
      { path: 'system/settings', component: () => import('../views/system/SettingsPage.vue'), meta: { requires: 'settings:get' } },
      { path: 'system/backup', component: () => import('../views/system/BackupPage.vue'), meta: { requires: 'backup:status' } },
      { path: 'catalog/items', component: () => import('../views/catalog/CatalogListPage.vue'), meta: { requires: 'catalog:list' } },
      { path: 'records/monthly', component: () => import('../views/records/MonthlyReportPage.vue'), meta: { requires: 'stats:monthly' } },
      {
        path: 'catalog/disclosure-rules',
        component: () => import('../views/catalog/DisclosureRulesPage.vue'),
        meta: { requires: 'disclosure:rules' },
      },
      {
        path: 'catalog/items/:id',
        component: () => import('../views/catalog/CatalogItemPage.vue'),
        meta: { requires: 'catalog:get', parent: '/catalog/items', title: t.crumbs.catalogItem },
      },
      { path: 'records', component: () => import('../views/records/RecordsPage.vue'), meta: { requires: 'records:list' } },
      { path: 'archives/people', component: () => import('../views/archives/PeoplePage.vue'), meta: { requires: 'people:list' } },
      {
        path: 'archives/people/:id',
        component: () => import('../views/archives/PersonPage.vue'),
        meta: { requires: 'people:get', parent: '/archives/people', title: t.crumbs.person },
      },
      {
        path: 'archives/people/:id/report',
        component: () => import('../views/archives/ArchiveReportPage.vue'),
        meta: { requires: 'archives:open', parent: '/archives/people', title: t.crumbs.archiveReport },
      },
      {
        path: 'archives/requests',
        component: () => import('../views/archives/AccessRequestsPage.vue'),
        meta: { requires: 'archives:requests' },
      },
      { path: 'archives/rules', component: () => import('../views/archives/GradeRulesPage.vue'), meta: { requires: 'archives:rules' } },
      { path: 'supervision/plans', component: () => import('../views/supervision/PlansPage.vue'), meta: { requires: 'plans:list' } },
      {
        path: 'supervision/tasks/new',
        component: () => import('../views/supervision/NewTaskPage.vue'),
        meta: { requires: 'tasks:create', parent: '/supervision/ledger', title: t.crumbs.newTask },
      },
      { path: 'supervision/ledger', component: () => import('../views/supervision/LedgerPage.vue'), meta: { requires: 'tasks:ledger' } },
      {
        path: 'supervision/letters',
        component: () => import('../views/supervision/LettersPage.vue'),
        meta: { requires: 'letters:register' },
      },
      {
        path: 'supervision/tasks/:id',
        component: () => import('../views/supervision/TaskPage.vue'),
        meta: { requires: 'tasks:get', parent: '/supervision/plans', title: t.crumbs.task },
      },
      {
        path: 'supervision/dashboard',
        component: () => import('../views/supervision/DashboardPage.vue'),
        meta: { requires: 'supervision:stats' },
      },
      {
        path: 'supervision/reviews',
        component: () => import('../views/supervision/ReviewQueuePage.vue'),
        meta: { requires: 'tasks:review-queue' },
      },
      { path: 'supervision/due', component: () => import('../views/supervision/DuePage.vue'), meta: { requires: 'tasks:due' } },
      {
        path: 'supervision/letters/:id',
        component: () => import('../views/supervision/LetterPage.vue'),
        meta: { requires: 'letters:get', parent: '/supervision/letters', title: t.crumbs.letter },
      },
      {
        path: 'supervision/plans/new',
        component: () => import('../views/supervision/PlanReviewPage.vue'),
        meta: { requires: 'plans:parse', parent: '/supervision/plans', title: t.crumbs.newPlan },
      },
      { path: 'credit/check', component: () => import('../views/credit/CheckPage.vue'), meta: { requires: 'checks:run' } },
      { path: 'credit/checks', component: () => import('../views/credit/ChecksPage.vue'), meta: { requires: 'checks:list' } },
      {
        path: 'credit/checks/:id',
        component: () => import('../views/credit/CheckResultPage.vue'),
        meta: { requires: 'checks:get', parent: '/credit/checks', title: t.crumbs.checkResult },
      },
      { path: 'credit/lists', component: () => import('../views/credit/ListsPage.vue'), meta: { requires: 'lists:list' } },
      { path: 'credit/cases', component: () => import('../views/credit/CasesPage.vue'), meta: { requires: 'cases:list' } },
      {
        path: 'credit/commitments',
        component: () => import('../views/credit/CommitmentsPage.vue'),
        meta: { requires: 'commitments:list' },
      },
      { path: 'credit/reports/new', component: () => import('../views/credit/ReportFormPage.vue'), meta: { requires: 'reports:create' } },
      {
        path: 'credit/reports/:id',
        component: () => import('../views/credit/ReportPage.vue'),
        meta: { requires: 'reports:get', parent: '/credit/reports/new', title: t.crumbs.report },
      },
      { path: 'exchange', component: () => import('../views/exchange/ExchangePage.vue'), meta: { requires: 'exchange:status' } },
      { path: 'system/holidays', component: () => import('../views/system/HolidaysPage.vue'), meta: { requires: 'calendar:save-day' } },
      { path: 'audit/operations', component: () => import('../views/audit/AuditLogPage.vue'), meta: { requires: 'audit:list' } },
      { path: 'audit/logins', component: () => import('../views/audit/LoginLogPage.vue'), meta: { requires: 'audit:logins' } },
      {
        path: 'account/password',
        component: () => import('../views/auth/ChangePasswordPage.vue'),
        meta: { title: t.shell.changePassword },
      },
      { path: 'forbidden', component: () => import('../views/auth/ForbiddenPage.vue'), meta: { title: t.crumbs.forbidden } },
    ],
  },
  { path: '/:rest(.*)', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

let loaded = false

router.beforeEach(async (to) => {
  const session = useSessionStore()
  if (!loaded) {
    await session.refresh()
    if (session.user) session.startIdleWatch()
    session.onSessionChange(() => void router.replace(router.currentRoute.value.fullPath))
    loaded = true
  }
  const me = session.me!
  // The data folder would not open: restoring a backup is all there is to do.
  if (me.recovery) return to.path === '/recovery' ? true : '/recovery'
  if (to.path === '/recovery') return '/'
  if (!me.setupDone) return to.path === '/setup' ? true : '/setup'
  if (to.path === '/setup') return '/login'
  if (!session.user) return to.path === '/login' ? true : '/login'
  if (to.path === '/login') return '/'
  if (session.user.mustChangePassword) return to.path === '/change-password' ? true : '/change-password'
  if (to.path === '/change-password') return '/'
  const requires = to.meta.requires
  // Said plainly rather than a silent jump to the 工作台: the user learns the page exists and is not theirs.
  if (requires && !session.may(requires)) return { path: '/forbidden', query: { from: to.fullPath } }
  return true
})
