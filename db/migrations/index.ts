// Explicit migration registry. knex's directory loader cannot work inside the electron-vite
// bundle (no db/ folder at runtime) nor on .ts files in plain Node, so every migration is imported
// here; a test fails if a file in this folder is missing from the list. Order = name order.
import type { Knex } from 'knex'
import * as m20261122090000 from './20261122090000_create_system_tables'
import * as m20261122090100 from './20261122090100_seed_reference_dictionaries'
import * as m20261122100000 from './20261122100000_create_calendar_and_disclosure_rules'
import * as m20261122110000 from './20261122110000_create_catalog'
import * as m20261122120000 from './20261122120000_create_records'
import * as m20261122130000 from './20261122130000_record_disclosure_and_actions'
import * as m20261123090000 from './20261123090000_create_archives'
import * as m20261123100000 from './20261123100000_create_supervision'
import * as m20261123110000 from './20261123110000_create_task_lifecycle'
import * as m20261123120000 from './20261123120000_create_supervision_letters'
import * as m20261123130000 from './20261123130000_create_exchange'
import * as m20261201090000 from './20261201090000_attachment_sm3'
import * as m20261201100000 from './20261201100000_sensitive_fields'
import * as m20261201110000 from './20261201110000_package_states'
import * as m20261201120000 from './20261201120000_keyed_audit_chain'
import * as m20261202090000 from './20261202090000_audit_workstation'
import * as m20261203090000 from './20261203090000_credit_lists_and_checks'
import * as m20261204090000 from './20261204090000_department_files'
import * as m20261205090000 from './20261205090000_record_corrections'
import * as m20261206090000 from './20261206090000_supervision_register'
import * as m20261207090000 from './20261207090000_record_counters'
import * as m20261207100000 from './20261207100000_attachment_file_sm3'
import * as m20261208090000 from './20261208090000_partial_record_indexes'
import * as m20261209090000 from './20261209090000_live_disclosure_covers_repairs'

export const migrations: Record<string, Knex.Migration> = {
  '20261122090000_create_system_tables': m20261122090000,
  '20261122090100_seed_reference_dictionaries': m20261122090100,
  '20261122100000_create_calendar_and_disclosure_rules': m20261122100000,
  '20261122110000_create_catalog': m20261122110000,
  '20261122120000_create_records': m20261122120000,
  '20261122130000_record_disclosure_and_actions': m20261122130000,
  '20261123090000_create_archives': m20261123090000,
  '20261123100000_create_supervision': m20261123100000,
  '20261123110000_create_task_lifecycle': m20261123110000,
  '20261123120000_create_supervision_letters': m20261123120000,
  '20261123130000_create_exchange': m20261123130000,
  '20261201090000_attachment_sm3': m20261201090000,
  '20261201100000_sensitive_fields': m20261201100000,
  '20261201110000_package_states': m20261201110000,
  '20261201120000_keyed_audit_chain': m20261201120000,
  '20261202090000_audit_workstation': m20261202090000,
  '20261203090000_credit_lists_and_checks': m20261203090000,
  '20261204090000_department_files': m20261204090000,
  '20261205090000_record_corrections': m20261205090000,
  '20261206090000_supervision_register': m20261206090000,
  '20261207090000_record_counters': m20261207090000,
  '20261207100000_attachment_file_sm3': m20261207100000,
  '20261208090000_partial_record_indexes': m20261208090000,
  '20261209090000_live_disclosure_covers_repairs': m20261209090000,
}

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
}
