// The 工作台's to-do counts: what waits for this user's roles, each a link to the page that handles it.
import type { Knex } from 'knex'
import type { Role } from '../../contract/roles'
import { countRows } from '../shared/count-rows'

export interface TodoCounts {
  catalogToReview: number
  accessToDecide: number
  repairsToDecide: number
  extensionsToDecide: number
  completionsToReview: number
  tasksToAssign: number
}

export async function todoCounts(db: Knex, roles: Role[]): Promise<TodoCounts> {
  const supervisor = roles.includes('supervisor')
  const editor = roles.includes('clerk') || roles.includes('admin')
  const zero = async () => 0
  return {
    catalogToReview: supervisor ? await countRows(db('catalog_items').where('status', 'submitted')) : 0,
    accessToDecide: supervisor ? await countRows(db('archive_access').where('status', 'pending')) : 0,
    repairsToDecide: supervisor ? await countRows(db('record_actions').where('status', 'pending')) : 0,
    extensionsToDecide: supervisor ? await countRows(db('task_events').where({ kind: 'extension', status: 'pending' })) : 0,
    completionsToReview: supervisor ? await countRows(db('task_units').where('status', 'submitted')) : 0,
    tasksToAssign: editor ? await countRows(db('tasks').where('status', 'created').whereNull('parent_id')) : await zero(),
  }
}
