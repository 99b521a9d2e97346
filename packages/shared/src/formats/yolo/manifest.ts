import { z } from 'zod'
import { FormatError } from '../model.ts'
import { normalizePath } from '../paths.ts'

/**
 * What a Concord YOLO export records beside the classes, under the key `concord` of
 * `data.yaml` (other YOLO tools ignore unknown keys):
 *
 * - `task`: the export task, so that a 4-point polygon of a `segment` export is not read back
 *   as a rotated box.
 * - `subsets`: split key to subset name where they differ (`train: ''` for items without a
 *   subset, `val: Validation`).
 * - `items`: images whose exported path is not `images/<split>/<item path>`, with the subset
 *   and path they came from. This is how two images that differ only in extension come back:
 *   YOLO finds a label by the image's stem, so `a.jpg` and `a.png` cannot both own `a.txt`;
 *   the second is exported as `a_png.png` with `a_png.txt` and listed here as `a.png`.
 * - `skeletons`: class name to its skeleton edges (1-based pairs, as in COCO), for a pose
 *   export; Ultralytics has no place for edges, and keypoint names go in its own `kpt_names`.
 */
export const yoloManifest = z.object({
  version: z.literal(1),
  task: z.enum(['detect', 'segment', 'obb', 'pose']).optional(),
  subsets: z.record(z.string(), z.string()).optional(),
  items: z.array(z.object({ image: z.string(), subset: z.string(), path: z.string() })).optional(),
  skeletons: z
    .record(z.string(), z.array(z.tuple([z.number().int().min(1), z.number().int().min(1)])))
    .optional(),
})
export type YoloManifest = z.infer<typeof yoloManifest>

/** Reads the `concord` block of a data.yaml, or undefined when there is none. */
export function readManifest(file: string, value: unknown): YoloManifest | undefined {
  if (value === undefined || value === null) return undefined
  const parsed = yoloManifest.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new FormatError(file, ['concord', ...(issue?.path ?? [])].join('.'), issue?.message ?? '')
  }
  const items = parsed.data.items?.map((item) => ({ ...item, image: normalizePath(item.image) }))
  return { ...parsed.data, ...(items ? { items } : {}) }
}
