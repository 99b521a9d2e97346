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
