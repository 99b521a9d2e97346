import { baseName, dirName, isImagePath, joinPath, normalizePath } from '../paths.ts'

/**
 * COCO files of one dataset come per task (`instances_train.json`, `captions_train.json`, ...),
 * and a zip of a whole COCO folder holds them all. Which task a file is for is read from its
 * annotations, not its name, since names vary between tools.
 */

/** What a COCO file holds, as far as import is concerned. */
export type CocoTask =
  /** Boxes, polygons, masks or keypoints (`instances`, `person_keypoints`, `stuff`). */
  | 'instances'
  /** Image labels: annotations with a category and no geometry (datumaro's `labels`). */
  | 'labels'
  /** Captions: annotations with a `caption` and no category. Not imported. */
  | 'captions'
  /** Panoptic segmentation: annotations with `segments_info` and a PNG each. Not imported. */
  | 'panoptic'
  /** Images only, no annotations and no categories (`image_info_test2017.json`). */
  | 'image_info'

/** Why a file of a task Concord does not import is left out, for the report. */
export const SKIPPED_TASKS: Partial<Record<CocoTask, string>> = {
  captions: 'captions are not imported (annotations with a caption and no category)',
  panoptic: 'panoptic segmentation is not imported (annotations with segments_info)',
  image_info: 'lists images only (image_info); the images come from the annotation files',
}

const GEOMETRY_KEYS = ['bbox', 'segmentation', 'keypoints']

/** The task of a parsed COCO file; anything unusual is left to the instances schema to judge. */
export function cocoTaskOf(value: unknown): CocoTask {
  if (!value || typeof value !== 'object') return 'instances'
  const { annotations, categories } = value as Record<string, unknown>
  if (!Array.isArray(annotations) || annotations.length === 0) {
    return Array.isArray(categories) && categories.length > 0 ? 'instances' : 'image_info'
  }
  const entries = annotations.filter(
    (a): a is Record<string, unknown> => !!a && typeof a === 'object',
  )
  if (entries.some((a) => 'segments_info' in a)) return 'panoptic'
  const hasGeometry = entries.some((a) => GEOMETRY_KEYS.some((key) => a[key] != null))
  if (hasGeometry) return 'instances'
  if (entries.some((a) => 'caption' in a)) return 'captions'
  if (entries.every((a) => a.category_id != null)) return 'labels'
  return 'instances'
}

/** A folder of panoptic PNGs, as COCO names it (`annotations/panoptic_val2017/`). */
const PANOPTIC_FOLDER = /^panoptic/i

/**
 * The image files of a COCO folder that are panoptic annotations rather than photos, by
 * normalised path: those under a folder whose name starts with `panoptic`, and those of `named`
 * (see {@link panopticPngPaths}). A `panoptic*` folder that holds a JSON file is the dataset's
 * own (a zipped `panoptic_demo/` folder), not one of PNGs. Panoptic files are not imported, but
 * their PNGs must not become images to label either.
 */
export function panopticImages(files: Iterable<string>, named: ReadonlySet<string>): string[] {
  const paths = [...files].map(normalizePath)
  const holdJson = new Set<string>()
  for (const path of paths) {
    if (!/\.json$/i.test(path)) continue
    for (let folder = dirName(path); folder !== ''; folder = dirName(folder)) holdJson.add(folder)
  }
  const inPanopticFolder = (path: string) => {
    for (let folder = dirName(path); folder !== ''; folder = dirName(folder)) {
      if (PANOPTIC_FOLDER.test(baseName(folder)) && !holdJson.has(folder)) return true
    }
    return false
  }
  return paths.filter((p) => isImagePath(p) && (named.has(p) || inPanopticFolder(p)))
}

/**
 * Where the PNGs a parsed panoptic file's annotations name by `file_name` are: in the folder of
 * the file's own name beside it (COCO's `panoptic_val2017/` beside `panoptic_val2017.json`).
 * A PNG of that name elsewhere may be a photo of the same name, so it is not looked for.
 */
export function panopticPngPaths(file: string, value: unknown): string[] {
  const { annotations } = (value ?? {}) as Record<string, unknown>
  if (!Array.isArray(annotations)) return []
  const folder = dirName(file)
  const own = baseName(file).replace(/\.json$/i, '')
  return annotations.flatMap((a: unknown) => {
    const name = a && typeof a === 'object' ? (a as Record<string, unknown>).file_name : undefined
    if (typeof name !== 'string' || name === '') return []
    return [joinPath(folder, own, name)]
  })
}
