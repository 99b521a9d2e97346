import { addRegion, formatDocumentName, parseGeometry, type NewRegion } from '@concord/shared'
import {
  FORMATS,
  FormatError,
  type FileSet,
  type FormatEntry,
  type FormatName,
  type InterchangeDataset,
  type InterchangeRegion,
  type ReportEntry,
} from '@concord/shared/formats/index'
import { baseName, normalizePath } from '@concord/shared/formats/paths'
import type { AuthUser } from '../../auth/authenticate.ts'
import type { AppContext } from '../../context.ts'
import { AppError } from '../../lib/errors.ts'
import { listAssetRows, type AssetRow } from '../assets/queries.ts'
import { ensureLabels } from '../projects/service.ts'
import { attributesWithExtras } from './region-extras.ts'

export type ImportResult = {
  imported: { images: number; regions: number; labels: number }
  warnings: ReportEntry[]
}

/** The registry entry of a format, or 400 when it is not (yet) available. */
export function requireFormat(name: FormatName): FormatEntry {
  const entry = FORMATS[name]
  if (!entry)
    throw new AppError('bad_request', `The ${name} format is not available yet`, {
      path: ['format'],
    })
  return entry
}

/**
 * Finds a project's asset for a path named in an annotation file: by its relative path, or by
 * its base name when exactly one asset has it. Both sides are URL-decoded and NFC-normalised.
 */
export function createAssetMatcher(assets: AssetRow[]): (path: string) => AssetRow | undefined {
  const byPath = new Map<string, AssetRow>()
  const byBase = new Map<string, AssetRow[]>()
  for (const asset of assets) {
    const key = normalizePath(asset.fileName)
    byPath.set(key, asset)
    const base = baseName(key)
    byBase.set(base, [...(byBase.get(base) ?? []), asset])
  }
  return (path) => {
    const key = normalizePath(path)
    const exact = byPath.get(key)
    if (exact) return exact
    const candidates = byBase.get(baseName(key))
    return candidates?.length === 1 ? candidates[0] : undefined
  }
}

/**
 * Imports annotations into the consensus layer of the project's assets, next to the regions
 * already there. TODO(#3): importing one file twice adds its regions twice; a replace mode that
 * clears the layer first (or matching by source id) would make re-imports idempotent. All or nothing: the
 * files are parsed and every region checked before anything is written; a malformed file is a
 * 400 naming the file and place. Images the project does not have are warnings, not failures.
 */
export async function importAnnotations(
  ctx: AppContext,
  user: AuthUser,
  projectId: string,
  format: FormatName,
  files: FileSet,
): Promise<ImportResult> {
  const entry = requireFormat(format)
  const db = ctx.database.db
  const match = createAssetMatcher(await listAssetRows(db, projectId))
  const sizeOf = (path: string) => {
    const asset = match(path)
    return asset ? { width: asset.width, height: asset.height } : undefined
  }

  const { dataset, report } = runImport(entry, files, sizeOf)
  const warnings: ReportEntry[] = [...report.warnings]
  const perAsset = new Map<string, { asset: AssetRow; regions: InterchangeRegion[] }>()
  for (const item of dataset.items) {
    const asset = match(item.path)
    if (!asset) {
      warnings.push({
        code: 'unmatched-image',
        message: `no image ${item.path} in the project; its ${item.regions.length} regions were skipped`,
        file: item.path,
      })
      continue
    }
    if (item.width && item.height && (item.width !== asset.width || item.height !== asset.height)) {
      warnings.push({
        code: 'other',
        message: `${item.path}: the file says ${item.width}x${item.height}, the image is displayed at ${asset.width}x${asset.height}`,
        file: item.path,
      })
    }
    const slot = perAsset.get(asset.id) ?? { asset, regions: [] }
    slot.regions.push(...item.regions)
    perAsset.set(asset.id, slot)
  }
  checkRegions(perAsset)

  // Everything parsed and checked: from here on the import writes.
  const wanted = [
    ...dataset.labels,
    ...[...perAsset.values()].flatMap((slot) => slot.regions.map((r) => ({ name: r.label }))),
  ]
  const { idsByName, created } = await ensureLabels(db, projectId, wanted)
  let regionCount = 0
  const now = Date.now()
  for (const { asset, regions } of perAsset.values()) {
    if (regions.length === 0) continue
    const newRegions = regions.map((region) => toNewRegion(region, idsByName))
    await ctx.documents.transact(formatDocumentName(asset.id, 'consensus'), (doc) => {
      for (const region of newRegions) addRegion(doc, region, user.id, now)
    })
    regionCount += regions.length
  }
  // The asset list counts regions from their projection; flushing makes it show the import
  // as soon as this answer arrives.
  await ctx.documents.flush()
  return { imported: { images: perAsset.size, regions: regionCount, labels: created }, warnings }
}

function runImport(
  entry: FormatEntry,
  files: FileSet,
  sizeOf: (path: string) => { width: number; height: number } | undefined,
): { dataset: InterchangeDataset; report: { warnings: ReportEntry[] } } {
  try {
    return entry.import(files, { sizeOf })
  } catch (error) {
    if (error instanceof FormatError) {
      throw new AppError('invalid_format', error.message, {
        file: error.file,
        where: error.where,
        path: [],
      })
    }
    throw error
  }
}

/** Refuses the import when any region's geometry does not fit its kind. */
function checkRegions(
  perAsset: Map<string, { asset: AssetRow; regions: InterchangeRegion[] }>,
): void {
  for (const { asset, regions } of perAsset.values()) {
    regions.forEach((region, i) => {
      if (parseGeometry(region.kind, region.geometry) === null) {
        throw new AppError(
          'invalid_format',
          `${asset.fileName}: region ${i} has an invalid ${region.kind}`,
          {
            file: asset.fileName,
            where: `regions[${i}]`,
            path: [],
          },
        )
      }
      if (region.label.trim() === '') {
        throw new AppError('invalid_format', `${asset.fileName}: region ${i} has no label`, {
          file: asset.fileName,
          where: `regions[${i}]`,
          path: [],
        })
      }
    })
  }
}

function toNewRegion(region: InterchangeRegion, idsByName: Map<string, string>): NewRegion {
  return {
    kind: region.kind,
    labelId: idsByName.get(region.label) ?? '',
    geometry: region.geometry,
    attributes: attributesWithExtras(region),
    source: region.source ?? 'human',
    score: region.score ?? null,
  } as NewRegion
}
