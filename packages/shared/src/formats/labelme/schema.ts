import { z } from 'zod'

const finite = z.number().finite()

/** One labelme shape; unknown keys are kept by labelme itself, and by us where they mean something. */
export const labelmeShapeSchema = z.looseObject({
  label: z.string(),
  points: z.array(z.tuple([finite, finite])),
  group_id: z.number().int().nullish(),
  shape_type: z.string().nullish(),
  flags: z.record(z.string(), z.unknown()).nullish(),
  description: z.string().nullish(),
  mask: z.string().nullish(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
})

export const labelmeFileSchema = z.looseObject({
  version: z.string().nullish(),
  flags: z.record(z.string(), z.unknown()).nullish(),
  shapes: z.array(labelmeShapeSchema),
  imagePath: z.string().min(1),
  imageData: z.string().nullish(),
  imageHeight: z.number().int().positive().nullish(),
  imageWidth: z.number().int().positive().nullish(),
})

export type LabelmeShape = z.infer<typeof labelmeShapeSchema>
export type LabelmeFile = z.infer<typeof labelmeFileSchema>
