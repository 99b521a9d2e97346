import { formatDocumentName } from '@concord/shared'
import type { AppContext } from '../../context.ts'
import { AppError, ERROR_CODES, type ErrorCode } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { decodeImage } from './decode.ts'
import { normaliseRelativePath } from './file-names.ts'
import { insertAssetRow, listFileNames, type AssetRow, type NewAssetRow } from './queries.ts'

/** An asset as the API returns it. */
export type Asset = {
  id: string
  projectId: string
  fileName: string
  width: number
  height: number
  document: string
  regionCount: number
  imageUrl: string
  thumbnailUrl: string
}

/** A file of an upload batch that did not go in, and why. */
export type UploadError = { fileName: string; code: ErrorCode; status: number; message: string }

/** One file of an upload: its name as sent (may carry a relative path) and its bytes. */
export type UploadFile = { name: string; size: number; bytes: () => Promise<Uint8Array> }

export function toAsset(row: AssetRow, regionCount: number): Asset {
  return {
    id: row.id,
    projectId: row.projectId,
    fileName: row.fileName,
    width: row.width,
    height: row.height,
    document: formatDocumentName(row.id, 'consensus'),
    regionCount,
    imageUrl: `/api/assets/${row.id}/image`,
    thumbnailUrl: `/api/assets/${row.id}/thumbnail`,
  }
}

/**
 * Stores a batch of uploads. Each file is judged alone: one that is too large, not an image,
 * badly named or named like an asset already in the project is listed in `errors` and the
 * rest still go in. The original is stored once by content hash.
 */
export async function storeUploads(
  ctx: AppContext,
  projectId: string,
  files: UploadFile[],
): Promise<{ assets: Asset[]; errors: UploadError[] }> {
  const db = ctx.database.db
  const taken = await listFileNames(db, projectId)
  const assets: Asset[] = []
  const errors: UploadError[] = []
  for (const file of files) {
    try {
      const row = await storeOne(ctx, projectId, file, taken)
      taken.add(row.fileName)
      assets.push(toAsset(row, 0))
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      errors.push({
        fileName: file.name,
        code: error.code,
        status: error.status,
        message: error.message,
      })
    }
  }
  return { assets, errors }
}

async function storeOne(
  ctx: AppContext,
  projectId: string,
  file: UploadFile,
  taken: Set<string>,
): Promise<AssetRow> {
  const prepared = await prepareUpload(ctx, projectId, file, taken)
  const row = await insertAssetRow(ctx.database.db, prepared)
  // Another request may have taken the name between the check and the insert.
  if (!row) throw conflict(prepared.fileName)
  return row
}

/**
 * Checks one upload (name, size, not a name `taken` in the project), decodes it and stores its
 * bytes, displayed copy and thumbnail, returning the asset row to insert. Blobs are stored by
 * content hash, so one stored for a row that never gets inserted is harmless.
 */
export async function prepareUpload(
  ctx: AppContext,
  projectId: string,
  file: UploadFile,
  taken: Set<string>,
): Promise<NewAssetRow & { id: string; fileName: string; width: number; height: number }> {
  const fileName = normaliseRelativePath(file.name)
  if (fileName === null) throw new AppError('bad_request', 'The file has no usable name')
  if (file.size > ctx.config.maxUploadBytes) {
    const mib = (ctx.config.maxUploadBytes / 2 ** 20).toFixed(0)
    throw new AppError('too_large', `Larger than the limit of ${mib} MiB`)
  }
  if (taken.has(fileName)) throw conflict(fileName)

  const bytes = await file.bytes()
  const image = await decodeImage(bytes)
  const blobHash = await ctx.blobs.put(bytes)
  const displayBlobHash = image.display ? await ctx.blobs.put(image.display.bytes) : null
  const thumbnailBlobHash = await ctx.blobs.put(image.thumbnail)
  return {
    id: newId(),
    projectId,
    fileName,
    blobHash,
    mediaType: image.mediaType,
    byteSize: bytes.byteLength,
    width: image.width,
    height: image.height,
    displayBlobHash,
    displayMediaType: image.display?.mediaType ?? null,
    thumbnailBlobHash,
  }
}

/** The refusal of a file named like one the project has. */
export function conflict(fileName: string): AppError {
  return new AppError('conflict', `The project already has a file named ${fileName}`)
}

/** The status of a batch in which nothing went in: the first file's refusal speaks for it. */
export function statusOfFailedBatch(errors: UploadError[]): number {
  return errors[0]?.status ?? ERROR_CODES.bad_request
}
