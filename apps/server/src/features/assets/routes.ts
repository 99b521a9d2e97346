import { eq } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requireUser } from '../../auth/middleware.ts'
import { requireProjectRole } from '../../auth/roles.ts'
import { assets as assetsTable } from '../../db/schema.ts'
import { AppError } from '../../lib/errors.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { decodeImage } from './decode.ts'
import {
  countAssetRegions,
  countRegionsByAsset,
  findAssetRow,
  listAssetRows,
  type AssetRow,
} from './queries.ts'
import { statusOfFailedBatch, storeUploads, toAsset, type UploadFile } from './service.ts'

/** Assets are content-addressed and never change under one id, so browsers may keep them. */
const IMMUTABLE_PRIVATE = 'private, max-age=31536000, immutable'

/** Uploading and reading assets. */
export function createAssetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /**
   * Uploads images as multipart `file` parts; a part's file name may carry a relative path.
   * 201 when any went in; refused files are listed in `errors` with the rest of the batch kept.
   */
  app.post(
    '/projects/:projectId/assets',
    (c, next) => {
      const { maxImportBytes, maxUploadBytes } = c.var.ctx.config
      const limit = bodyLimit({
        maxSize: Math.max(maxImportBytes, maxUploadBytes),
        onError: () => {
          const mib = (Math.max(maxImportBytes, maxUploadBytes) / 2 ** 20).toFixed(0)
          throw new AppError(
            'too_large',
            `One upload request may carry at most ${mib} MiB; send the files in several requests`,
          )
        },
      })
      return limit(c, next)
    },
    async (c) => {
      const projectId = c.req.param('projectId')
      await requireProjectRole(c.var.ctx.database.db, requireUser(c), projectId, 'lead')
      const files = await readUploadFiles(c)
      const result = await storeUploads(c.var.ctx, projectId, files)
      c.var.log.info(
        { projectId, stored: result.assets.length, refused: result.errors.length },
        'assets uploaded',
      )
      if (result.assets.length > 0) return c.json(result, 201)
      const status = statusOfFailedBatch(result.errors) as 400
      const first = result.errors[0]
      const error = {
        code: first?.code ?? 'bad_request',
        message: first?.message ?? 'Nothing stored',
      }
      return c.json({ error: { ...error, details: { errors: result.errors } }, ...result }, status)
    },
  )

  /** The project's assets by file name, with their consensus region counts. */
  app.get('/projects/:projectId/assets', async (c) => {
    const db = c.var.ctx.database.db
    const projectId = c.req.param('projectId')
    await requireProjectRole(db, requireUser(c), projectId, 'annotator')
    const rows = await listAssetRows(db, projectId)
    // Counts come from the projection: an import's rows may still be going in.
    await c.var.ctx.documents.projected()
    const counts = await countRegionsByAsset(db, projectId, 'consensus')
    return c.json({ assets: rows.map((row) => toAsset(row, counts.get(row.id) ?? 0)) })
  })

  /** One asset. */
  app.get('/assets/:assetId', async (c) => {
    const row = await requireAsset(c)
    await c.var.ctx.documents.projected()
    const regionCount = await countAssetRegions(c.var.ctx.database.db, row.id, 'consensus')
    return c.json(toAsset(row, regionCount))
  })

  /** The image as displayed: EXIF orientation applied, in a format browsers show. */
  app.get('/assets/:assetId/image', async (c) => {
    const row = await ensureDerived(c, await requireAsset(c))
    const hash = row.displayBlobHash ?? row.blobHash
    return sendBlob(
      c,
      hash,
      row.displayBlobHash ? (row.displayMediaType ?? row.mediaType) : row.mediaType,
    )
  })

  /** A JPEG at most 256 px on its long side. */
  app.get('/assets/:assetId/thumbnail', async (c) => {
    const row = await ensureDerived(c, await requireAsset(c))
    return sendBlob(c, row.thumbnailBlobHash ?? row.blobHash, 'image/jpeg')
  })

  return app
}

/**
 * Every File among the multipart parts, whatever its field name (the contract says `file`).
 * The body is read whole before files are judged, so memory is bounded by one request, which
 * the body limit caps; a large folder goes in several requests (the web app sends batches).
 */
async function readUploadFiles(c: Context<AppEnv>): Promise<UploadFile[]> {
  const type = c.req.header('content-type') ?? ''
  if (!type.startsWith('multipart/form-data')) {
    throw new AppError('unsupported_media_type', 'Send the files as multipart/form-data')
  }
  let body: Record<string, unknown>
  try {
    body = await c.req.parseBody({ all: true })
  } catch (error) {
    throw new AppError(
      'invalid_body',
      'The multipart body could not be read',
      { path: [] },
      { cause: error },
    )
  }
  const files = Object.values(body)
    .flat()
    .filter((part): part is File => part instanceof File)
    .map((file) => ({
      name: file.name,
      size: file.size,
      bytes: async () => new Uint8Array(await file.arrayBuffer()),
    }))
  if (files.length === 0)
    throw new AppError('invalid_body', 'No file parts in the upload', { path: ['file'] })
  return files
}

async function requireAsset(c: Context<AppEnv>): Promise<AssetRow> {
  const db = c.var.ctx.database.db
  const row = await findAssetRow(db, c.req.param('assetId') ?? '')
  if (!row) throw new AppError('not_found', 'Asset not found')
  try {
    await requireProjectRole(db, requireUser(c), row.projectId, 'annotator')
  } catch (error) {
    // Not a member: the asset is as invisible as its project.
    if (error instanceof AppError && error.code === 'not_found')
      throw new AppError('not_found', 'Asset not found')
    throw error
  }
  return row
}

/** Makes the thumbnail (and display image) of an asset stored before they were made at upload. */
async function ensureDerived(c: Context<AppEnv>, row: AssetRow): Promise<AssetRow> {
  if (row.thumbnailBlobHash) return row
  const { blobs, database } = c.var.ctx
  const bytes = await blobs.get(row.blobHash)
  if (!bytes) throw new AppError('not_found', 'The image bytes are missing')
  const image = await decodeImage(bytes)
  const patch = {
    thumbnailBlobHash: await blobs.put(image.thumbnail),
    displayBlobHash: image.display ? await blobs.put(image.display.bytes) : null,
    displayMediaType: image.display?.mediaType ?? null,
  }
  await database.db.update(assetsTable).set(patch).where(eq(assetsTable.id, row.id))
  return { ...row, ...patch }
}

async function sendBlob(c: Context<AppEnv>, hash: string, mediaType: string): Promise<Response> {
  const etag = `"${hash}"`
  c.header('ETag', etag)
  c.header('Cache-Control', IMMUTABLE_PRIVATE)
  if (c.req.header('if-none-match') === etag) return c.body(null, 304)
  const bytes = await c.var.ctx.blobs.get(hash)
  if (!bytes) throw new AppError('not_found', 'The image bytes are missing')
  c.header('Content-Type', mediaType)
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200)
}
