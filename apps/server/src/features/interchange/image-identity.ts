import { createHash } from 'node:crypto'
import type { InterchangeItem } from '@concord/shared/formats/index'
import { normalizePath } from '@concord/shared/formats/paths'
import { isOrientation, swapsSides, type Orientation } from '@concord/shared/geometry/index'
import sharp from 'sharp'
import type { AppContext } from '../../context.ts'
import { pendingAsset, type MatchableAsset, type NewImage } from './new-images.ts'

// Which image is which, when names and sizes alone do not say: an export's record of its
// images, the bytes an asset holds, a free name, and the EXIF orientation of a photo.

/** Whether an asset (stored, or an image the import adds) has exactly these bytes. */
export function holdsBytes(
  asset: MatchableAsset,
  bytes: Uint8Array,
  newImages: NewImage[],
): boolean {
  if ('blobHash' in asset && typeof asset.blobHash === 'string')
    return asset.blobHash === createHash('sha256').update(bytes).digest('hex')
  const image = newImages.find((n) => pendingAsset(n).id === asset.id)
  return image !== undefined && Buffer.compare(image.bytes, bytes) === 0
}

/**
 * Where each image of an export zip came from, by its path in the zip: the project file name
 * the export recorded under `images` in its report, so that images of the same bytes go back
 * to their own assets. Anything else (no report, another tool's file) records nothing.
 */
export function imageSources(report: Uint8Array | undefined): Map<string, string> {
  const sources = new Map<string, string>()
  if (!report) return sources
  try {
    const { images } = JSON.parse(new TextDecoder().decode(report)) as { images?: unknown }
    if (images && typeof images === 'object') {
      for (const [path, from] of Object.entries(images)) {
        if (typeof from === 'string') sources.set(normalizePath(path), from)
      }
    }
  } catch {
    // A report that is not JSON records nothing; the import matches by bytes and names.
  }
  return sources
}

/**
 * The EXIF orientation of each image some item declares at its stored size: the item is `W x H`
 * where the image displays `H x W` (LabelImg and tools that ignore EXIF write the stored pixels
 * of a photo whose EXIF turns it). Only those images are read; an orientation that does not
 * swap the sides, or none, leaves the item as it is.
 */
export async function storedFrameOrientations(
  ctx: AppContext,
  items: InterchangeItem[],
  assetOf: (item: InterchangeItem) => MatchableAsset | undefined,
  newImages: NewImage[],
): Promise<Map<string, Orientation>> {
  const turned = new Map<string, Orientation>()
  const pending = new Map(newImages.map((image) => [pendingAsset(image).id, image]))
  for (const item of items) {
    if (!item.width || !item.height || item.width === item.height) continue
    const asset = assetOf(item)
    if (!asset || turned.has(asset.id)) continue
    if (item.width !== asset.height || item.height !== asset.width) continue
    const bytes =
      pending.get(asset.id)?.bytes ??
      ('blobHash' in asset && typeof asset.blobHash === 'string'
        ? await ctx.blobs.get(asset.blobHash)
        : undefined)
    const orientation = bytes ? await exifOrientation(bytes) : undefined
    if (orientation !== undefined && swapsSides(orientation)) turned.set(asset.id, orientation)
  }
  return turned
}

async function exifOrientation(bytes: Uint8Array): Promise<Orientation | undefined> {
  try {
    const { orientation } = await sharp(bytes).metadata()
    return isOrientation(orientation) ? orientation : undefined
  } catch {
    return undefined
  }
}
