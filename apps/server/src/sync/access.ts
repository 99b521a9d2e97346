import { and, eq } from 'drizzle-orm'
import { parseDocumentName, type Layer } from '@concord/shared'
import type { Db } from '../db/client.ts'
import { assets, projectMembers } from '../db/schema.ts'

/** Who opens a document; the REST side's `AuthUser` fits this shape. */
export type SyncUser = { id: string; isAdmin: boolean; name?: string; email?: string }

/** What a user may do with one document, or why they may not open it. */
export type DocumentAccess =
  | {
      ok: true
      mode: 'read' | 'write'
      name: string
      assetId: string
      projectId: string
      layer: Layer
    }
  | { ok: false; reason: 'notFound' | 'forbidden' }

/**
 * Decides whether `user` may open the document `name`, and whether to write or only read.
 * Admins, leads and reviewers may write every layer. An annotator writes the consensus layer and
 * their own blind layer, reads model pre-labels, and never sees another annotator's layer.
 */
export async function resolveDocumentAccess(
  db: Db,
  user: SyncUser,
  name: string,
): Promise<DocumentAccess> {
  const parsed = parseDocumentName(name)
  if (!parsed) return { ok: false, reason: 'notFound' }

  const [asset] = await db
    .select({ projectId: assets.projectId })
    .from(assets)
    .where(eq(assets.id, parsed.assetId))
    .limit(1)
  if (!asset) return { ok: false, reason: 'notFound' }
  const granted = (mode: 'read' | 'write') =>
    ({ ok: true, mode, name, ...parsed, projectId: asset.projectId }) as const
  if (user.isAdmin) return granted('write')

  const [member] = await db
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, asset.projectId), eq(projectMembers.userId, user.id)))
    .limit(1)
  if (!member) return { ok: false, reason: 'forbidden' }
  if (member.role === 'lead' || member.role === 'reviewer') return granted('write')

  const { layer } = parsed
  if (layer === 'consensus' || layer === `annotator:${user.id}`) return granted('write')
  if (layer.startsWith('model:')) return granted('read')
  return { ok: false, reason: 'forbidden' }
}
