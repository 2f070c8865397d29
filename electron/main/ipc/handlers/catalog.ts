// The credit-information catalog: items, their versions and review.
import {
  compareItems,
  getCatalogItem,
  listCatalog,
  listCategories,
  listVersions,
  newVersion,
  retireItem,
  reviewItem,
  saveDraft,
  submitItem,
} from '../../../core/catalog/catalog'
import { actorId, type HandlersOf } from './shared'

export const catalogHandlers: HandlersOf<'catalog'> = {
  'catalog:categories': async (_i, { db }) => listCategories(db),
  'catalog:list': async (query, { db }) => listCatalog(db, query),
  'catalog:get': async ({ id }, { db }) => getCatalogItem(db, id),
  'catalog:versions': async ({ code }, { db }) => listVersions(db, code),
  'catalog:save-draft': async (input, ctx) => {
    const id = await saveDraft(ctx.db, ctx.clock, actorId(ctx), input)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:submit': async ({ id }, ctx) => {
    await submitItem(ctx.db, ctx.clock, id)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:review': async ({ id, decision, comment }, ctx) => {
    await reviewItem(ctx.db, ctx.clock, actorId(ctx), id, decision, comment)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:new-version': async ({ id }, ctx) => {
    const newId = await newVersion(ctx.db, ctx.clock, actorId(ctx), id)
    ctx.affected.push(`catalog:${id}`, `catalog:${newId}`)
    return { id: newId }
  },
  'catalog:retire': async ({ id }, ctx) => {
    await retireItem(ctx.db, ctx.clock, id)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:compare': async ({ fromId, toId }, { db }) => compareItems(db, fromId, toId),
}
