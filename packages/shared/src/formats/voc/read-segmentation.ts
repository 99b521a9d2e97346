import type { Rle } from '../../geometry/index.ts'
import type { ReportBuilder } from '../common/report.ts'
import type { FileSet, InterchangeItem } from '../model.ts'
import { baseName, dirName, extName, stripExt } from '../paths.ts'
import { masksOfIndex, readIndexPng, VOID_INDEX } from './segmentation.ts'

/** The segmentation PNGs of a file set, by the folder holding `Segmentation*` and image id. */
export type SegmentationPngs = {
  object: Map<string, string>
  class: Map<string, string>
  /** Every PNG under a `Segmentation*` folder, visualisations too: none of them is a photo. */
  all: Set<string>
  /** Object PNGs an annotation asked for, so the others can be reported. */
  used: Set<string>
}

const FOLDER = /(^|\/)(Segmentation[A-Za-z]*)\/[^/]+$/

/** Finds `SegmentationObject/*.png` and `SegmentationClass/*.png` files. */
export function segmentationPngs(files: FileSet): SegmentationPngs {
  const found: SegmentationPngs = {
    object: new Map(),
    class: new Map(),
    all: new Set(),
    used: new Set(),
  }
  for (const path of files.keys()) {
    const match = FOLDER.exec(path)
    if (!match || extName(path).toLowerCase() !== '.png') continue
    found.all.add(path)
    const key = keyOf(dirName(dirName(path)), stripExt(baseName(path)))
    const folder = match[2]!.toLowerCase()
    if (folder === 'segmentationobject') found.object.set(key, path)
    else if (folder === 'segmentationclass') found.class.set(key, path)
  }
  return found
}

function keyOf(root: string, id: string): string {
  return `${root}\u0000${id}`.toLowerCase()
}

/** The object (or class) PNG of image `id` in the tree rooted at `root`. */
export function findSegmentation(
  found: SegmentationPngs,
  root: string,
  id: string,
  which: 'object' | 'class' = 'object',
): string | undefined {
  const path = found[which].get(keyOf(root, id))
  if (path && which === 'object') found.used.add(path)
  return path
}

/**
 * The instance mask of each object, by its 1-based number, from a SegmentationObject PNG; void
 * pixels belong to none. A PNG of another size than the annotation's is reported and not read;
 * without a size in the annotation the PNG gives it.
 */
export function instanceMasks(
  files: FileSet,
  path: string | undefined,
  item: InterchangeItem,
  objectCount: number,
  report: ReportBuilder,
): Map<number, Rle> | undefined {
  if (path === undefined) return undefined
  const image = readIndexPng(path, files.get(path)!)
  if (item.width !== undefined && (image.width !== item.width || image.height !== item.height)) {
    report.warn({
      code: 'skipped',
      message: `segmentation is ${image.width}x${image.height}, the image ${item.width}x${item.height}; not read`,
      file: path,
    })
    return undefined
  }
  item.width ??= image.width
  item.height ??= image.height
  const stray = new Set<number>()
  for (const v of image.index) if (v > objectCount && v !== VOID_INDEX) stray.add(v)
  if (stray.size > 0) {
    report.warn({
      code: 'skipped',
      message: `indices ${[...stray].sort((a, b) => a - b).join(', ')} have no <object>; their pixels skipped`,
      file: path,
    })
  }
  return masksOfIndex(
    image,
    Array.from({ length: objectCount }, (_, i) => i + 1),
  )
}

/** Reports object PNGs that no annotation used: without an `<object>` list they have no labels. */
export function reportUnusedSegmentation(found: SegmentationPngs, report: ReportBuilder): void {
  for (const path of found.object.values()) {
    if (found.used.has(path)) continue
    report.count(
      'skipped',
      'SegmentationObject PNG without an annotation XML is not imported (its objects have no labels)',
      path,
    )
  }
}
