// Transfer packages across the air gap: keys and peers, then export and import as jobs the renderer polls.
import { ErrorCode } from '../../../contract'
import {
  currentOwnKey,
  importPeer,
  listOwnKeys,
  listPeers,
  readPeerKeyFile,
  rotateOwnKey,
  setPeerParts,
} from '../../../core/exchange/keyring'
import { exportPreview, nextSequence, packageLog, planExport } from '../../../core/exchange/packages'
import { AppError } from '../../../core/shared/app-error'
import { writeFileAtomic } from '../../../core/shared/write-file'
import { getSettings } from '../../../core/system/settings'
import { actorId, exchangeContext, jobOwner, saveFile, type HandlersOf } from './shared'

const PACKAGE_FILTER = [{ name: '数据交换包', extensions: ['cdpkg'] }]

export const exchangeHandlers: HandlersOf<'exchange'> = {
  'exchange:status': async (_i, { db }) => ({ keys: await listOwnKeys(db), peers: await listPeers(db), packages: await packageLog(db) }),
  'exchange:import-peer': async ({ name }, ctx) => {
    const path = await ctx.platform.chooseOpenPath({
      title: `选择“${name}”的公钥文件（.pub.pem）`,
      filters: [{ name: '公钥文件', extensions: ['pem', 'pub'] }],
    })
    if (!path) return { cancelled: true, peer: null }
    const peer = await importPeer(ctx.db, ctx.clock, { name, pemText: readPeerKeyFile(path) }, actorId(ctx))
    ctx.affected.push(`peer:${peer.id}`, `fingerprint:${peer.fingerprint.slice(0, 16)}`)
    return { cancelled: false, peer }
  },
  'exchange:export-public': async (_i, ctx) => {
    const own = await currentOwnKey(ctx.db, ctx.services.keys, ctx.clock)
    const office = await getSettings(ctx.db)
    const dialog = {
      title: '导出本单位交换公钥',
      defaultName: `${office.regionCode || 'county'}-交换公钥.pub.pem`,
      filters: [{ name: '公钥文件', extensions: ['pem'] }],
    }
    const result = await saveFile(ctx, dialog, async (path) => {
      writeFileAtomic(path, Buffer.from(own.publicPem))
      return 1
    })
    if (!result.cancelled) ctx.affected.push(`key:${own.fingerprint.slice(0, 16)}`)
    return result
  },
  'exchange:rotate-key': async (_i, ctx) => {
    const own = await rotateOwnKey(ctx.db, ctx.services.keys, ctx.clock)
    ctx.affected.push(`key:${own.fingerprint.slice(0, 16)}`)
    return (await listOwnKeys(ctx.db)).find((k) => k.id === own.id)!
  },
  'exchange:set-peer-parts': async ({ peerId, parts }, ctx) => {
    const peer = await setPeerParts(ctx.db, peerId, parts)
    ctx.affected.push(`peer:${peerId}`, `parts:${peer.parts.join(',') || 'none'}`)
    return peer
  },
  'exchange:preview': async ({ full }, ctx) => exportPreview(exchangeContext(ctx), { full }),
  'exchange:export-start': async ({ full, confirmPersonal }, ctx) => {
    // The export carries exactly this plan; the user confirms its personal data here, before choosing a file.
    const plan = await planExport(ctx.db, ctx.clock.now(), { full })
    if (Object.keys(plan.personal).length && !confirmPersonal)
      throw new AppError(ErrorCode.InvalidState, 'personal data not confirmed', { reason: 'personal_unconfirmed', personal: plan.personal })
    const office = await getSettings(ctx.db)
    const sequence = await nextSequence(ctx.db, plan.peer.fingerprint)
    const name = `${office.regionCode || 'county'}-${full ? '全量' : '增量'}-${String(sequence).padStart(5, '0')}-${ctx.services.today()}.cdpkg`
    const path = await ctx.platform.chooseSavePath({ title: '导出数据交换包（选择 U 盘）', defaultName: name, filters: PACKAGE_FILTER })
    if (!path) return { job: null }
    const job = ctx.services.exchangeJobs.startExport(jobOwner(ctx), path, full, plan, confirmPersonal)
    ctx.affected.push(
      `package-job:${job.id}`,
      `full:${full}`,
      `parts:${plan.parts.join(',')}`,
      ...Object.entries(plan.personal).map(([table, n]) => `personal:${table}=${n}`),
    )
    return { job }
  },
  'exchange:import-start': async (_i, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: '选择市里发来的数据交换包', filters: PACKAGE_FILTER })
    if (!path) return { job: null }
    const job = ctx.services.exchangeJobs.startImport(jobOwner(ctx), path)
    ctx.affected.push(`package-job:${job.id}`)
    return { job }
  },
  'exchange:job': async ({ jobId }, ctx) => ctx.services.exchangeJobs.get(jobOwner(ctx), jobId),
  'exchange:cancel': async ({ jobId }, ctx) => ctx.services.exchangeJobs.cancel(jobOwner(ctx), jobId),
}
