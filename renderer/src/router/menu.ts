// The menu, once: the sidebar draws it and the breadcrumb reads where a page sits in it. An item shows to the users
// the contract lets call its page's procedure, and a group to those who see any of its items.
import type { Component } from 'vue'
import { Coin, Document, Files, Monitor, Setting, Share, Stamp } from '@element-plus/icons-vue'
import type { ProcedureName } from '../../../electron/contract'
import { t } from '../locales/zh-CN'

export interface MenuItem {
  path: string
  label: string
  requires: ProcedureName
}
export interface MenuGroup {
  key: string
  label: string
  icon: Component
  items: MenuItem[]
}

export const MENU: MenuGroup[] = [
  {
    key: 'catalog',
    label: t.shell.catalog,
    icon: Coin,
    items: [
      { path: '/catalog/items', label: t.shell.catalogItems, requires: 'catalog:list' },
      { path: '/records', label: t.shell.records, requires: 'records:list' },
      { path: '/records/monthly', label: t.shell.monthly, requires: 'stats:monthly' },
      { path: '/catalog/disclosure-rules', label: t.shell.disclosureRules, requires: 'disclosure:rules' },
    ],
  },
  {
    key: 'credit',
    label: t.shell.credit,
    icon: Stamp,
    items: [
      { path: '/credit/check', label: t.shell.checks, requires: 'checks:run' },
      { path: '/credit/checks', label: t.shell.checkRegister, requires: 'checks:list' },
      { path: '/credit/lists', label: t.shell.lists, requires: 'lists:list' },
      { path: '/credit/cases', label: t.shell.cases, requires: 'cases:list' },
      { path: '/credit/commitments', label: t.shell.commitments, requires: 'commitments:list' },
      { path: '/credit/reports/new', label: t.shell.reports, requires: 'reports:create' },
    ],
  },
  {
    key: 'supervision',
    label: t.shell.supervision,
    icon: Document,
    items: [
      { path: '/supervision/plans', label: t.shell.plans, requires: 'plans:list' },
      { path: '/supervision/reviews', label: t.shell.reviews, requires: 'tasks:review-queue' },
      { path: '/supervision/ledger', label: t.shell.ledger, requires: 'tasks:ledger' },
      { path: '/supervision/due', label: t.shell.due, requires: 'tasks:due' },
      { path: '/supervision/letters', label: t.shell.letters, requires: 'letters:register' },
      { path: '/supervision/dashboard', label: t.shell.dashboard, requires: 'supervision:stats' },
    ],
  },
  {
    key: 'exchange',
    label: t.shell.exchange,
    icon: Share,
    items: [{ path: '/exchange', label: t.shell.packages, requires: 'exchange:status' }],
  },
  {
    key: 'archives',
    label: t.shell.archives,
    icon: Files,
    items: [
      { path: '/archives/people', label: t.shell.people, requires: 'people:list' },
      { path: '/archives/requests', label: t.shell.accessRequests, requires: 'archives:requests' },
      { path: '/archives/rules', label: t.shell.gradeRules, requires: 'archives:rules' },
    ],
  },
  {
    key: 'system',
    label: t.shell.system,
    icon: Setting,
    items: [
      { path: '/system/users', label: t.shell.users, requires: 'users:list' },
      { path: '/system/units', label: t.shell.units, requires: 'units:create' },
      { path: '/system/dicts', label: t.shell.dicts, requires: 'dicts:save-item' },
      { path: '/system/holidays', label: t.shell.holidays, requires: 'calendar:save-day' },
      { path: '/system/settings', label: t.shell.settings, requires: 'settings:get' },
      { path: '/system/backup', label: t.shell.backup, requires: 'backup:status' },
    ],
  },
  {
    key: 'audit',
    label: t.shell.audit,
    icon: Monitor,
    items: [
      { path: '/audit/operations', label: t.shell.auditLog, requires: 'audit:list' },
      { path: '/audit/logins', label: t.shell.loginLog, requires: 'audit:logins' },
    ],
  },
]

/** The menu group and item a path belongs to (a detail page belongs to the list it is opened from). */
export function locate(path: string): { group: MenuGroup; item: MenuItem } | null {
  for (const group of MENU) {
    const item = group.items
      .filter((i) => path === i.path || path.startsWith(`${i.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0]
    if (item) return { group, item }
  }
  return null
}

/** What a path is called for a "back to …" link: its menu item, or the home page. */
export function titleOf(path: string): string {
  if (path === '/' || path === '') return t.shell.home
  return locate(path.split('?')[0]!)?.item.label ?? t.shell.home
}
