import { LABEL_PALETTE } from '@concord/shared'

/** A stable colour per user id, so a colleague keeps one colour across sessions and assets. */
export function colourForUser(userId: string): string {
  let hash = 2166136261
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i)
    hash = Math.imul(hash, 16777619)
  }
  return LABEL_PALETTE[(hash >>> 0) % LABEL_PALETTE.length] ?? '#4363d8'
}
