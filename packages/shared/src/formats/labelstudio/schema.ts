import { z } from 'zod'

/** Label Studio's task export (`JSON`), read leniently: many fields vary between versions. */
const finite = z.number().finite()

export const lsResultSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  type: z.string(),
  value: z.looseObject({}),
  from_name: z.string().nullish(),
  to_name: z.string().nullish(),
  original_width: z.number().positive().nullish(),
  original_height: z.number().positive().nullish(),
  image_rotation: finite.nullish(),
  score: finite.nullish(),
})

export const lsAnnotationSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  result: z.array(lsResultSchema).nullish(),
  was_cancelled: z.boolean().nullish(),
  completed_by: z.unknown().optional(),
  score: finite.nullish(),
  model_version: z.unknown().optional(),
})

export const lsTaskSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  data: z.record(z.string(), z.unknown()),
  annotations: z.array(lsAnnotationSchema).nullish(),
  // Some exports list prediction ids here instead of objects; those are skipped.
  predictions: z.array(z.unknown()).nullish(),
})

export const lsTasksSchema = z.array(lsTaskSchema)

export type LsResult = z.infer<typeof lsResultSchema>
export type LsTask = z.infer<typeof lsTaskSchema>

/** Region value fields as Label Studio writes them. */
export const lsRectValue = z.looseObject({
  x: finite,
  y: finite,
  width: finite,
  height: finite,
  rotation: finite.nullish(),
})
export const lsPolygonValue = z.looseObject({ points: z.array(z.tuple([finite, finite])).min(3) })
export const lsKeypointValue = z.looseObject({ x: finite, y: finite })
export const lsEllipseValue = z.looseObject({
  x: finite,
  y: finite,
  radiusX: finite.nonnegative(),
  radiusY: finite.nonnegative(),
  rotation: finite.nullish(),
})
/** A brush: `rle` is only read when `format` is `rle`, Label Studio's one brush format. */
export const lsBrushValue = z.looseObject({
  format: z.string().nullish(),
  rle: z.array(z.number().int().min(0).max(255)).nullish(),
})
