import { z } from 'zod'
import { REGION_KINDS } from './region.ts'

/** A class in a project's label schema. */
export const labelSchema = z.object({
  id: z.string(),
  name: z.string().min(1).max(200),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  hotkey: z.number().int().min(1).max(9).nullable(),
  kinds: z.array(z.enum(REGION_KINDS)),
})
export type Label = z.infer<typeof labelSchema>

/** What a caller may send to create a label: only the name is required. */
export const labelInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
    .optional(),
  hotkey: z.number().int().min(1).max(9).nullable().optional(),
  kinds: z.array(z.enum(REGION_KINDS)).optional(),
})
export type LabelInput = z.infer<typeof labelInputSchema>

/** A palette with distinct hues, used when a label arrives without a colour. */
export const LABEL_PALETTE = [
  '#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45',
  '#fabed4', '#469990', '#dcbeff', '#9a6324', '#fffac8', '#800000', '#aaffc3', '#808000',
] as const

export function pickLabelColor(index: number): string {
  return LABEL_PALETTE[index % LABEL_PALETTE.length] ?? '#e6194b'
}
