// What a check's findings amount to. A hit weighs as 失信惩戒 (an active 黑名单 entry, a 严重失信 record in its
// disclosure period), 重点关注 (a 重点关注名单 or office-added kind, any other 失信 record in its period, a 违诺
// commitment) or 守信激励 (an active 红名单 entry). Inactive entries (到期, 移出) are shown and weigh nothing. The heaviest
// weight decides: a red-listed subject with a 失信 record in its period is not a 守信激励对象.
import type { Hit, Verdict } from '../../contract/schemas/credit'

/** A list kind's weight: black / black_… punish, red / red_… reward (an office names its own kinds so), others 重点关注. */
export function listKindWeight(kind: string): Hit['weight'] {
  if (kind === 'black' || kind.startsWith('black_')) return 'punish'
  if (kind === 'red' || kind.startsWith('red_')) return 'reward'
  return 'watch'
}

export function recordWeight(level: string | null): Hit['weight'] {
  return level === 'serious' ? 'punish' : 'watch'
}

export function verdictOf(hits: readonly Hit[]): Verdict {
  const live = hits.filter((h) => h.active)
  if (live.some((h) => h.weight === 'punish')) return 'punish'
  if (live.some((h) => h.weight === 'watch')) return 'watch'
  if (live.some((h) => h.weight === 'reward')) return 'reward'
  return 'clean'
}
