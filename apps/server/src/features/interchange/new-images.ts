import type { FileSet, ReportEntry } from '@concord/shared/formats/index'
import { isImagePath } from '@concord/shared/formats/paths'
import sharp from 'sharp'
import type { AppContext } from '../../context.ts'
import { AppError } from '../../lib/errors.ts'
import { decodeImage } from '../assets/decode.ts'
import { listFileNames, type NewAssetRow } from '../assets/queries.ts'
import { prepareUpload, type UploadFile } from '../assets/service.ts'
import { checkCancelled, type RunControl } from './control.ts'

/** An image an import carries that the project does not have yet: added once the import is checked. */
export type NewImage = { fileName: string; bytes: Uint8Array; width: number; height: number }

/** What matching needs of an asset, whether stored already or still to be added. */
export type MatchableAsset = {
  id: string
  fileName: string
  width: number
  height: number
  subset?: string
}

/**
 * Reads the displayed size of each image an import carries (zip entries, labelme `imageData`)
 * without storing anything, so that importers that need sizes can use them and a malformed
 * import still changes nothing. A file that is not a readable image is left out with a warning.
 */
export async function probeNewImages(
  candidates: [path: string, bytes: Uint8Array][],
  control: RunControl,
  warnings: ReportEntry[],
): Promise<NewImage[]> {
  const out: NewImage[] = []
  for (const [i, [fileName, bytes]] of candidates.entries()) {
    checkCancelled(control)
    control.progress('parse', i, candidates.length)
    const size = await probeSize(bytes)
    if (size) out.push({ fileName, bytes, ...size })
    else {
      warnings.push({
        code: 'skipped',
        message: `${fileName} is not an image Concord can read; not added`,
        file: fileName,
      })
    }
  }
  return out
}

/** Image entries of a zip, by their path in it. */
export function imageEntries(files: FileSet): [string, Uint8Array][] {
  return [...files].filter(([path]) => isImagePath(path))
}

/** A new image made ready to become an asset: its files stored, its row still to insert. */
export type PreparedImage = { row: NewAssetRow; asset: MatchableAsset }

/**
 * Decodes the new images and stores their files the way uploads are (by content hash, with a
 * displayed copy and a thumbnail), returning the asset rows to insert by file name. The rows go
 * in later, with the regions, so that an import that fails adds no assets. An image the upload
 * checks refuse is a warning.
 */
export async function prepareNewImages(
  ctx: AppContext,
  projectId: string,
  images: NewImage[],
  warnings: ReportEntry[],
  onProgress: (prepared: number) => void = () => {},
): Promise<Map<string, PreparedImage>> {
  const prepared = new Map<string, PreparedImage>()
  const taken = await listFileNames(ctx.database.db, projectId)
  for (const [i, image] of images.entries()) {
    try {
      const row = await prepareUpload(ctx, projectId, toUploadFile(image), taken)
      taken.add(row.fileName)
      prepared.set(image.fileName, {
        row,
        asset: { id: row.id, fileName: row.fileName, width: row.width, height: row.height },
      })
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error
      warnings.push({
        code: 'skipped',
        message: `${image.fileName} was not added: ${error.message}`,
        file: image.fileName,
      })
    }
    // Decoding and storing thousands of images takes a while: progress after each group.
    if ((i + 1) % IMAGES_PER_STEP === 0) onProgress(i + 1)
  }
  onProgress(images.length)
  return prepared
}

function toUploadFile(image: NewImage): UploadFile {
  return { name: image.fileName, size: image.bytes.byteLength, bytes: async () => image.bytes }
}

/** Images stored between two progress reports. */
const IMAGES_PER_STEP = 50

/** Displayed size (EXIF orientation applied) from the header; a full decode only for BMP. */
async function probeSize(bytes: Uint8Array): Promise<{ width: number; height: number } | null> {
  try {
    const meta = await sharp(bytes).metadata()
    const size = meta.autoOrient ?? { width: meta.width, height: meta.height }
    if (size.width && size.height) return { width: size.width, height: size.height }
  } catch {
    // sharp cannot read BMP; the upload path decodes it another way, so ask that.
  }
  try {
    const decoded = await decodeImage(bytes)
    return { width: decoded.width, height: decoded.height }
  } catch (error) {
    if (error instanceof AppError) return null
    throw error
  }
}

const PENDING = 'pending:'

/** An image the import adds, as matching sees it until it is stored. */
export function pendingAsset(image: NewImage): MatchableAsset {
  return { id: `${PENDING}${image.fileName}`, fileName: image.fileName, ...sizeOfImage(image) }
}

function sizeOfImage(image: NewImage) {
  return { width: image.width, height: image.height }
}

/** Whether a matched asset is an image the import adds. */
export function isPending(asset: MatchableAsset): boolean {
  return asset.id.startsWith(PENDING)
}
