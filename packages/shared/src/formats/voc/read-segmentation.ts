import type { Rle } from '../../geometry/index.ts'
import type { ReportBuilder } from '../common/report.ts'
import type { FileSet, InterchangeItem } from '../model.ts'
import { baseName, dirName, extName, isImagePath, stripExt } from '../paths.ts'
import { readItemPng } from './class-segmentation.ts'
import { masksOfIndex, VOID_INDEX } from './segmentation.ts'

/** The segmentation PNGs of a file set, by the folder holding `Segmentation*` and image id. */
export type SegmentationPngs = {
  object: Map<string, string>
  class: Map<string, string>
  /**
   * Every picture that belongs to the annotations rather than the photos: whatever sits in a
   * `Segmentation*` folder, and the overlays labelme2voc writes into `*Visualization/` folders
   * (`SegmentationClassVisualization/`, `AnnotationsVisualization/`...).
   */
  all: Set<string>
  /** PNGs an annotation asked for; the others are read on their own. */
  used: Set<string>
}

const FOLDER = /(^|\/)(Segmentation[A-Za-z]*)\/[^/]+$/
const VISUALIZATION = /(^|\/)[A-Za-z]*Visuali[sz]ation\/[^/]+$/i

/**
 * Finds `SegmentationObject/*.png` and `SegmentationClass/*.png` files, and the
 * `SegmentationObjectPNG/` and `SegmentationClassPNG/` folders older labelme versions write.
 */
export function segmentationPngs(files: FileSet): SegmentationPngs {
  const found: SegmentationPngs = {
    object: new Map(),
    class: new Map(),
    all: new Set(),
    used: new Set(),
  }
  for (const path of files.keys()) {
    const match = FOLDER.exec(path)
    if (VISUALIZATION.test(path) || (match && isImagePath(path))) found.all.add(path)
    if (!match || extName(path).toLowerCase() !== '.png' || VISUALIZATION.test(path)) continue
    const key = keyOf(dirName(dirName(path)), stripExt(baseName(path)))
    const folder = match[2]!.toLowerCase()
    if (folder === 'segmentationobject' || folder === 'segmentationobjectpng') {
      found.object.set(key, path)
    } else if (folder === 'segmentationclass' || folder === 'segmentationclasspng') {
      found.class.set(key, path)
    }
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
  if (path) found.used.add(path)
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
  const image = readItemPng(files, path, item, report)
  if (!image) return undefined
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

/**
 * The images that have segmentation PNGs but no annotation XML, by tree root and image id, with
 * their object and class PNGs.
 */
export function unannotatedSegmentation(
  found: SegmentationPngs,
): { root: string; id: string; object?: string; class?: string }[] {
  const byKey = new Map<string, { root: string; id: string; object?: string; class?: string }>()
  for (const which of ['object', 'class'] as const) {
    for (const [key, path] of found[which]) {
      if (found.used.has(path)) continue
      const entry = byKey.get(key) ?? { root: dirName(dirName(path)), id: stripExt(baseName(path)) }
      entry[which] = path
      byKey.set(key, entry)
    }
  }
  return [...byKey.values()]
}
