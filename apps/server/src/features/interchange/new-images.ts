import type { FileSet, ReportEntry } from '@concord/shared/formats/index'
import { isImagePath } from '@concord/shared/formats/paths'
import sharp from 'sharp'
import type { AppContext } from '../../context.ts'
import { AppError } from '../../lib/errors.ts'
import { decodeImage } from '../assets/decode.ts'
import { storeUploads } from '../assets/service.ts'
import { checkCancelled, type RunControl } from './control.ts'

/** An image an import carries that the project does not have yet: added once the import is checked. */
export type NewImage = { fileName: string; bytes: Uint8Array; width: number; height: number }

/** What matching needs of an asset, whether stored already or still to be added. */
export type MatchableAsset = { id: string; fileName: string; width: number; height: number }

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

/**
 * Adds the new images as assets through the upload service (decoded, stored by content hash,
 * thumbnail made), returning them by file name. One the service refuses is a warning.
 */
export async function storeNewImages(
  ctx: AppContext,
  projectId: string,
  images: NewImage[],
  warnings: ReportEntry[],
  onProgress: (stored: number) => void = () => {},
): Promise<Map<string, MatchableAsset>> {
  const added = new Map<string, MatchableAsset>()
  // Decoding and storing thousands of images takes a while: progress after each group.
  for (let start = 0; start < images.length; start += IMAGES_PER_STEP) {
    const group = images.slice(start, start + IMAGES_PER_STEP)
    const { assets, errors } = await storeUploads(
      ctx,
      projectId,
      group.map((image) => ({
        name: image.fileName,
        size: image.bytes.byteLength,
        bytes: async () => image.bytes,
      })),
    )
    for (const error of errors) {
      warnings.push({
        code: 'skipped',
        message: `${error.fileName} was not added: ${error.message}`,
        file: error.fileName,
      })
    }
    for (const asset of assets) added.set(asset.fileName, asset)
    onProgress(start + group.length)
  }
  return added
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
