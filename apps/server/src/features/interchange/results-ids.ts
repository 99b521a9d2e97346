import { FormatError, type FileSet } from '@concord/shared/formats/index'
import type {
  CocoResultsCategory,
  CocoResultsImage,
} from '@concord/shared/formats/coco-results/index'
import { z } from 'zod'
import type { MatchableAsset } from './new-images.ts'

/** The part of a COCO instances file that gives results their meaning. */
const instancesSchema = z.looseObject({
  images: z.array(
    z.looseObject({
      id: z.union([z.number(), z.string()]),
      file_name: z.string(),
      width: z.number().optional(),
      height: z.number().optional(),
    }),
  ),
  categories: z.array(z.looseObject({ id: z.union([z.number(), z.string()]), name: z.string() })),
})

/**
 * What COCO results' `image_id` and `category_id` refer to. A results file carries only ids, so
 * they are resolved, in this order:
 * 1. a COCO instances file sent beside the results in the zip (any `.json` whose top level is an
 *    object): its `images` and `categories` give the ids, as the model saw them;
 * 2. otherwise the project, numbered as a COCO export of it numbers them (`GET export?format=coco`):
 *    images 1..N by file name, categories 1..N in label order.
 * The instances file is taken out of the set handed to the importer, which reads arrays only.
 */
export function resolveResultsIds(
  files: FileSet,
  assets: MatchableAsset[],
  labels: { name: string }[],
): { files: FileSet; images: CocoResultsImage[]; categories: CocoResultsCategory[] } {
  const rest: FileSet = new Map()
  let instances: z.infer<typeof instancesSchema> | undefined
  for (const [path, bytes] of files) {
    if (!path.toLowerCase().endsWith('.json') || firstByte(bytes) !== 0x7b) {
      rest.set(path, bytes)
      continue
    }
    if (instances) throw new FormatError(path, undefined, 'a second COCO instances file')
    const parsed = instancesSchema.safeParse(parseJson(path, bytes))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new FormatError(path, issue?.path.join('.') || '$', issue?.message ?? 'invalid')
    }
    instances = parsed.data
  }
  if (instances) {
    return {
      files: rest,
      images: instances.images.map((i) => ({
        id: i.id,
        path: i.file_name,
        ...(i.width ? { width: i.width } : {}),
        ...(i.height ? { height: i.height } : {}),
      })),
      categories: instances.categories.map((c) => ({ id: c.id, name: c.name })),
    }
  }
  return {
    files: rest,
    images: assets.map((a, i) => ({
      id: i + 1,
      path: a.fileName,
      width: a.width,
      height: a.height,
    })),
    categories: labels.map((l, i) => ({ id: i + 1, name: l.name })),
  }
}

function firstByte(bytes: Uint8Array): number | undefined {
  // Skip a byte-order mark and leading whitespace.
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++
  return bytes[i]
}

function parseJson(path: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new FormatError(path, undefined, `not valid JSON: ${String(error)}`)
  }
}
