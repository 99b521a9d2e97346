import { z } from 'zod'
import { REGION_KINDS, geometrySchemas, type MaskGeometry } from '../../domain/region.ts'
import { rleIsConsistent } from '../../geometry/index.ts'
import { decodeText, encodeText, formatJsonPath, parseJsonText } from '../common/json.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeLabel,
} from '../model.ts'
import { FormatError } from '../model.ts'
import { textLines } from '../common/lines.ts'

/**
 * Concord JSON Lines: the lossless format. The first line is a header with the labels; every
 * further line is one item with all of its regions, every field included (provenance in
 * `extra`, attributes, score, source, group, crowd, source ids, tags). A line is independent, so
 * large datasets stream and a broken line is reported by its number.
 */
export const CONCORD_FORMAT = 'concord'
export const CONCORD_VERSION = 1

export type ConcordImportOptions = Record<string, never>
export type ConcordExportOptions = {
  /** Output file name; default `dataset.jsonl`. */
  fileName?: string
}

// Loose objects: fields added to the model later pass through instead of being dropped.
const labelSchema = z.looseObject({
  name: z.string().min(1),
  color: z.string().optional(),
  keypoints: z.array(z.string()).optional(),
  skeleton: z.array(z.tuple([z.number(), z.number()])).optional(),
  supercategory: z.string().optional(),
})

const headerSchema = z.object({
  format: z.literal(CONCORD_FORMAT),
  version: z.literal(CONCORD_VERSION),
  labels: z.array(labelSchema),
})

const regionSchema = z
  .looseObject({
    kind: z.enum(REGION_KINDS),
    label: z.string(),
    geometry: z.unknown(),
    attributes: z.record(z.string(), z.unknown()),
    score: z.number().nullable().optional(),
    source: z.enum(['human', 'model']).optional(),
    group: z.union([z.string(), z.number()]).nullable().optional(),
    crowd: z.boolean().optional(),
    sourceId: z.union([z.string(), z.number()]).optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((region, ctx) => {
    const parsed = geometrySchemas[region.kind].safeParse(region.geometry)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      ctx.addIssue({
        code: 'custom',
        path: ['geometry', ...(issue?.path ?? [])],
        message: issue?.message ?? 'bad geometry',
      })
      return
    }
    // A mask's runs must cover it exactly; any other total draws and exports nonsense.
    if (region.kind !== 'mask') return
    const mask = parsed.data as MaskGeometry
    if (rleIsConsistent(mask)) return
    const total = mask.counts.reduce((sum, count) => sum + count, 0)
    ctx.addIssue({
      code: 'custom',
      path: ['geometry', 'counts'],
      message: `RLE counts do not add up to ${mask.width}x${mask.height} = ${mask.width * mask.height} pixels (they add up to ${total})`,
    })
  })

const itemSchema = z.looseObject({
  key: z.string().min(1),
  subset: z.string(),
  path: z.string().min(1),
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
  regions: z.array(regionSchema),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()).optional(),
})

/**
 * Imports Concord JSON Lines; every `.jsonl` file in the set, each with its own header. Every
 * region's geometry is checked against its kind, and a mask's RLE counts must add up to its
 * width x height; a bad one is refused naming its line and field.
 */
export function importConcord(
  files: FileSet,
  _options: ConcordImportOptions = {},
): { dataset: InterchangeDataset; report: ConversionReport } {
  const report = new ReportBuilder()
  const labels: InterchangeLabel[] = []
  const labelNames = new Set<string>()
  const items: InterchangeItem[] = []
  const lineOfKey = new Map<string, string>()
  const names = [...files.keys()].filter((f) => /\.jsonl$/i.test(f)).sort()
  if (names.length === 0) throw new FormatError('(files)', undefined, 'no .jsonl file')

  for (const file of names) {
    let header = false
    for (const [raw, number] of textLines(decodeText(files.get(file)!, file), {
      skipBlank: true,
    })) {
      const line = raw.trim()
      const where = `line ${number}`
      const value = parseJsonText(file, line, where)
      if (!header) {
        const parsed = headerSchema.safeParse(value)
        if (!parsed.success) throw issueError(file, where, parsed.error, 'header: ')
        for (const label of parsed.data.labels) {
          if (labelNames.has(label.name)) continue
          labelNames.add(label.name)
          labels.push(label as InterchangeLabel)
        }
        header = true
        continue
      }
      const parsed = itemSchema.safeParse(value)
      if (!parsed.success) throw issueError(file, where, parsed.error)
      const item = parsed.data as InterchangeItem
      const seen = lineOfKey.get(item.key)
      if (seen) throw new FormatError(file, where, `item key "${item.key}" already used at ${seen}`)
      lineOfKey.set(item.key, `${file} ${where}`)
      items.push(item)
    }
    if (!header) throw new FormatError(file, 'line 1', 'missing header line')
  }
  return { dataset: { labels, items }, report: report.build() }
}

function issueError(file: string, where: string, error: z.ZodError, prefix = ''): FormatError {
  const issue = error.issues[0]
  return new FormatError(
    file,
    `${where} ${formatJsonPath(issue?.path ?? [])}`,
    `${prefix}${issue?.message ?? 'invalid'}`,
  )
}

/** Exports Concord JSON Lines: the header, then one line per item with every field. */
export function exportConcord(
  dataset: InterchangeDataset,
  options: ConcordExportOptions = {},
): { files: FileSet; report: ConversionReport } {
  const lines = [
    JSON.stringify({ format: CONCORD_FORMAT, version: CONCORD_VERSION, labels: dataset.labels }),
  ]
  for (const item of dataset.items) lines.push(JSON.stringify(item satisfies InterchangeItem))
  return {
    files: new Map([[options.fileName ?? 'dataset.jsonl', encodeText(lines.join('\n') + '\n')]]),
    report: new ReportBuilder().build(),
  }
}
