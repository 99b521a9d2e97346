import type { InterchangeItem } from '../model.ts'

/**
 * COCO fields the converters do not interpret but keep for a faithful round trip: an image's
 * `license`, `coco_url`, `flickr_url`, `date_captured` and any other key, and a file's `info`,
 * `licenses` and other top-level blocks. They travel as `item.attributes.coco` and
 * `dataset.meta.coco`, both plain objects of the keys as read.
 */
export const COCO_EXTRAS_KEY = 'coco'

/** Image keys the converters write themselves; an extra of that name never overrides them. */
const IMAGE_FIELDS = new Set(['id', 'file_name', 'width', 'height'])

/** Top-level keys that are the dataset itself rather than blocks to carry. */
const FILE_FIELDS = new Set(['images', 'annotations', 'categories'])

/** The keys of a COCO image entry beyond id, file name and size; undefined when there are none. */
export function readImageExtras(
  image: Record<string, unknown>,
): Record<string, unknown> | undefined {
  return pick(image, IMAGE_FIELDS)
}

/** The top-level blocks of a COCO file beyond images, annotations and categories. */
export function readFileExtras(file: Record<string, unknown>): Record<string, unknown> | undefined {
  return pick(file, FILE_FIELDS)
}

/**
 * One image entry as COCO writes it: id, file name, size, then the extras the item carried from
 * an import. Extras named like a field COCO export sets are left out, so they cannot contradict
 * the id or the size.
 */
export function writeImageEntry(item: InterchangeItem, id: number): Record<string, unknown> {
  const extras = asRecord(item.attributes?.[COCO_EXTRAS_KEY])
  return {
    id,
    file_name: item.path,
    ...(item.width ? { width: item.width } : {}),
    ...(item.height ? { height: item.height } : {}),
    ...(extras ? pick(extras, IMAGE_FIELDS) : {}),
  }
}

/** The top-level blocks to write before the dataset's own: the COCO `meta` of the dataset. */
export function writeFileExtras(
  meta: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const extras = asRecord(meta?.[COCO_EXTRAS_KEY])
  return (extras && pick(extras, FILE_FIELDS)) ?? {}
}

function pick(
  source: Record<string, unknown>,
  without: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  const entries = Object.entries(source).filter(([key]) => !without.has(key))
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}
