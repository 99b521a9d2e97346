import { addRegion, formatDocumentName, type NewRegion } from '@concord/shared'
import sharp from 'sharp'
import type { AuthUser } from '../../auth/authenticate.ts'
import type { AppContext } from '../../context.ts'
import { AppError } from '../../lib/errors.ts'
import { storeUploads } from '../assets/service.ts'
import { createProject, loadProject, type Project } from '../projects/service.ts'
import { SAMPLE_LABELS, sampleScenes } from './shapes.ts'

/**
 * Makes a small project for someone with no data yet: generated images of shapes, a label
 * per shape and a few regions already drawn, the caller as lead.
 */
export async function createSampleProject(ctx: AppContext, user: AuthUser): Promise<Project> {
  const db = ctx.database.db
  const project = await createProject(db, user, {
    name: 'Sample: shapes',
    labels: SAMPLE_LABELS.map((l) => ({ ...l })),
  })
  const scenes = sampleScenes()
  const files = await Promise.all(
    scenes.map(async (scene) => {
      const bytes = new Uint8Array(await sharp(Buffer.from(scene.svg)).png().toBuffer())
      return { name: scene.fileName, size: bytes.byteLength, bytes: async () => bytes }
    }),
  )
  const { assets, errors } = await storeUploads(ctx, project.id, files)
  if (errors.length > 0)
    throw new AppError('internal', `Sample image refused: ${errors[0]?.message}`)

  const labelId = new Map(project.labels.map((l) => [l.name, l.id]))
  for (const [i, scene] of scenes.entries()) {
    const asset = assets[i]
    if (!asset || scene.regions.length === 0) continue
    await ctx.documents.transact(formatDocumentName(asset.id, 'consensus'), (doc) => {
      for (const { label, ...region } of scene.regions) {
        addRegion(doc, { ...region, labelId: labelId.get(label) ?? '' } as NewRegion, user.id)
      }
    })
  }
  await ctx.documents.flush()
  return loadProject(db, project.id, 'lead')
}
