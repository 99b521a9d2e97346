import { z } from 'zod'

/**
 * COCO as read from untrusted files. Lenient where real files differ (ids as strings, `null`
 * supercategory, missing `iscrowd`), strict where a wrong value would corrupt geometry.
 */
const finite = z.number().finite()
const id = z.union([z.number(), z.string()])

export const cocoImageSchema = z.looseObject({
  id,
  file_name: z.string().min(1),
  width: z.number().positive().nullish(),
  height: z.number().positive().nullish(),
})

export const cocoCategorySchema = z.looseObject({
  id,
  name: z.string(),
  supercategory: z.string().nullish(),
  keypoints: z.array(z.string()).nullish(),
  skeleton: z.array(z.tuple([finite, finite])).nullish(),
})

export const cocoRleSchema = z.object({
  counts: z.union([z.string(), z.array(z.number().int().nonnegative())]),
  size: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
})

export const cocoSegmentationSchema = z.union([z.array(z.array(finite)), cocoRleSchema])

export const cocoBboxSchema = z
  .tuple([finite, finite, finite, finite])
  .refine(([, , w, h]) => w >= 0 && h >= 0, 'bbox has a negative width or height')

/** One annotation; also the shape of one COCO results entry (which has no `id`). */
export const cocoAnnotationSchema = z.looseObject({
  id: id.optional(),
  image_id: id,
  category_id: id,
  bbox: cocoBboxSchema.nullish(),
  segmentation: cocoSegmentationSchema.nullish(),
  area: finite.nullish(),
  iscrowd: z.union([z.number(), z.boolean()]).nullish(),
  keypoints: z.array(finite).nullish(),
  num_keypoints: finite.nullish(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
  score: finite.nullish(),
})

export const cocoFileSchema = z.looseObject({
  images: z.array(cocoImageSchema),
  annotations: z.array(cocoAnnotationSchema).nullish(),
  categories: z.array(cocoCategorySchema).nullish(),
})

export type CocoAnnotation = z.infer<typeof cocoAnnotationSchema>
export type CocoCategory = z.infer<typeof cocoCategorySchema>
export type CocoFile = z.infer<typeof cocoFileSchema>
export type CocoRle = z.infer<typeof cocoRleSchema>

/** An annotation as we write it. */
export type CocoAnnotationOut = {
  id?: number
  image_id: number | string
  category_id: number | string
  segmentation?: number[][] | { counts: number[] | string; size: [number, number] }
  area?: number
  bbox: [number, number, number, number]
  iscrowd?: 0 | 1
  keypoints?: number[]
  num_keypoints?: number
  attributes?: Record<string, unknown>
  score?: number
}
