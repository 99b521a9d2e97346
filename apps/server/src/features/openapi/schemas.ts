import { labelSchema, REGION_KINDS } from '@concord/shared'
import { z } from 'zod'
import { PROJECT_ROLES } from '../../auth/roles.ts'

/** Response shapes, written as zod so that the OpenAPI description is generated from them. */
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
})

export const userResponseSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
})

export const projectResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  role: z.enum(PROJECT_ROLES),
  labels: z.array(labelSchema),
})

export const assetResponseSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  fileName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  document: z.string(),
  regionCount: z.number().int(),
  imageUrl: z.string(),
  thumbnailUrl: z.string(),
})

export const memberResponseSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(PROJECT_ROLES),
})

export const reportEntrySchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  path: z.string().optional(),
  count: z.number().optional(),
})

export const uploadResponseSchema = z.object({
  assets: z.array(assetResponseSchema),
  errors: z.array(
    z.object({ fileName: z.string(), code: z.string(), status: z.number(), message: z.string() }),
  ),
})

export const importResponseSchema = z.object({
  imported: z.object({
    /** Images that received regions (or were cleared in replace mode). */
    images: z.number(),
    regions: z.number(),
    /** Labels created because the file named them. */
    labels: z.number(),
    /** Images the import carried (zip entries, labelme imageData) added as new assets. */
    assets: z.number(),
  }),
  /** `consensus`, or `model:<runId>` for COCO results. */
  layer: z.string(),
  mode: z.enum(['append', 'replace']),
  /** The model run a COCO results import wrote. */
  runId: z.string().optional(),
  warnings: z.array(reportEntrySchema),
})

export const jobResponseSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  userId: z.string().nullable(),
  kind: z.enum(['import', 'export']),
  format: z.string(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  progress: z.object({
    /** import: parse, match, write; export: query, convert, pack. */
    phase: z.string().nullable(),
    done: z.number(),
    total: z.number(),
  }),
  result: z.object({ fileName: z.string(), mediaType: z.string(), url: z.string() }).nullable(),
  /** A finished import: the synchronous import's answer; an export: `{ report }`. */
  summary: z.record(z.string(), z.unknown()).nullable(),
  /** A failed job: `{ code, message, details? }`, as the synchronous route would answer. */
  error: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
})

export const regionKindSchema = z.enum(REGION_KINDS)
