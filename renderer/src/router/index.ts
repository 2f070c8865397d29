import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { Role } from '../../../electron/contract'
import { useSessionStore } from '../stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the shell only to users holding one of these roles (main enforces the same). */
    roles?: Role[]
    title?: string
    /** Pages outside the shell that need no login. */
    public?: boolean
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/setup', component: () => import('../views/setup/SetupWizard.vue'), meta: { public: true } },
  { path: '/login', component: () => import('../views/auth/LoginPage.vue'), meta: { public: true } },
  { path: '/change-password', component: () => import('../views/auth/ChangePasswordPage.vue') },
  {
    path: '/',
    component: () => import('../components/AppShell.vue'),
    children: [
      { path: '', component: () => import('../views/home/HomePage.vue') },
      { path: 'system/users', component: () => import('../views/system/UsersPage.vue'), meta: { roles: [Role.Admin] } },
      { path: 'system/units', component: () => import('../views/system/UnitsPage.vue'), meta: { roles: [Role.Admin] } },
      { path: 'system/dicts', component: () => import('../views/system/DictsPage.vue'), meta: { roles: [Role.Admin] } },
      { path: 'system/settings', component: () => import('../views/system/SettingsPage.vue'), meta: { roles: [Role.Admin] } },
      { path: 'catalog/items', component: () => import('../views/catalog/CatalogListPage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'catalog/items/:id', component: () => import('../views/catalog/CatalogItemPage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'records', component: () => import('../views/records/RecordsPage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'archives/people', component: () => import('../views/archives/PeoplePage.vue'), meta: { roles: [Role.Clerk, Role.Supervisor] } },
      { path: 'archives/people/:id', component: () => import('../views/archives/PersonPage.vue'), meta: { roles: [Role.Clerk, Role.Supervisor] } },
      { path: 'archives/people/:id/report', component: () => import('../views/archives/ArchiveReportPage.vue'), meta: { roles: [Role.Clerk, Role.Supervisor] } },
      { path: 'archives/requests', component: () => import('../views/archives/AccessRequestsPage.vue'), meta: { roles: [Role.Clerk, Role.Supervisor] } },
      { path: 'archives/rules', component: () => import('../views/archives/GradeRulesPage.vue'), meta: { roles: [Role.Clerk, Role.Supervisor] } },
      { path: 'supervision/plans', component: () => import('../views/supervision/PlansPage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'supervision/tasks/:id', component: () => import('../views/supervision/TaskPage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'supervision/dashboard', component: () => import('../views/supervision/DashboardPage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'supervision/reviews', component: () => import('../views/supervision/ReviewQueuePage.vue'), meta: { roles: [Role.Supervisor] } },
      { path: 'supervision/due', component: () => import('../views/supervision/DuePage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'supervision/letters/:id', component: () => import('../views/supervision/LetterPage.vue'), meta: { roles: [Role.Admin, Role.Clerk, Role.Supervisor] } },
      { path: 'supervision/plans/new', component: () => import('../views/supervision/PlanReviewPage.vue'), meta: { roles: [Role.Admin, Role.Clerk] } },
      { path: 'exchange', component: () => import('../views/exchange/ExchangePage.vue'), meta: { roles: [Role.Admin, Role.Clerk] } },
      { path: 'system/holidays', component: () => import('../views/system/HolidaysPage.vue'), meta: { roles: [Role.Admin] } },
      { path: 'audit/operations', component: () => import('../views/audit/AuditLogPage.vue'), meta: { roles: [Role.Auditor] } },
      { path: 'audit/logins', component: () => import('../views/audit/LoginLogPage.vue'), meta: { roles: [Role.Auditor] } },
      { path: 'account/password', component: () => import('../views/auth/ChangePasswordPage.vue') },
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
  if (!me.setupDone) return to.path === '/setup' ? true : '/setup'
  if (to.path === '/setup') return '/login'
  if (!session.user) return to.path === '/login' ? true : '/login'
  if (to.path === '/login') return '/'
  if (session.user.mustChangePassword) return to.path === '/change-password' ? true : '/change-password'
  if (to.path === '/change-password') return '/'
  const roles = to.meta.roles
  if (roles && !session.hasRole(...roles)) return '/'
  return true
})
