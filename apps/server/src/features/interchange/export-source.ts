import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type {
  InterchangeItem,
  InterchangeLabel,
  InterchangeRegion,
  ReportEntry,
} from '@concord/shared/formats/index'
import { inArray, sql } from 'drizzle-orm'
import { formatDocumentName, type Layer } from '@concord/shared'
import type { Db } from '../../db/client.ts'
import { documents } from '../../db/schema.ts'
import type { AssetRow } from '../assets/queries.ts'
import { listLabels } from '../projects/queries.ts'
import { splitExtras } from './region-extras.ts'
import { NameAllocator } from '@concord/shared/formats/paths'

/**
 * Assets whose regions are read per query. 250 assets of a typical 20 regions is 5,000 rows a
 * page: few round trips for 100,000 regions, while a page stays a few megabytes.
 */
export const ASSETS_PER_PAGE = 250

/** The project's labels as the formats name them, and a way from label id to name. */
export async function readExportLabels(
  db: Db,
  projectId: string,
): Promise<{ labels: InterchangeLabel[]; nameOf: Map<string, string> }> {
  const rows = await listLabels(db, [projectId])
  return {
    labels: rows.map((l) => ({ ...labelExtras(l.interchange), name: l.name, color: l.color })),
    nameOf: new Map(rows.map((l) => [l.id, l.name])),
  }
}

/** The fields an import kept on a label (COCO `supercategory`, keypoint names, skeleton). */
function labelExtras(kept: Record<string, unknown>): Partial<InterchangeLabel> {
  const out: Partial<InterchangeLabel> = {}
  if (typeof kept.supercategory === 'string') out.supercategory = kept.supercategory
  if (Array.isArray(kept.keypoints)) out.keypoints = kept.keypoints.map(String)
  if (Array.isArray(kept.skeleton)) out.skeleton = kept.skeleton as [number, number][]
  return out
}

/**
 * An asset's path within its subset for an export: where an import found it, else its file
 * name. Two assets can land on one `<subset>/<path>` (an upload `train/1.jpg` beside an
 * imported `1.jpg` of subset `train`, names that differ only in case): the later one gets a
 * free name (`1_2.jpg`), said in the report, so that no image or label file overwrites another.
 */
function uniquePath(asset: AssetRow, placed: NameAllocator, report: ReportEntry[]): string {
  const path = asset.itemPath ?? asset.fileName
  const prefix = asset.subset ? `${asset.subset}/` : ''
  const wanted = `${prefix}${path}`
  const given = placed.allocate(wanted)
  if (given === wanted) return path
  report.push({
    code: 'other',
    message: `${asset.fileName} would export as ${wanted}, where an earlier image goes; written as ${given}`,
    file: asset.fileName,
  })
  return given.slice(prefix.length)
}

/**
 * The project's assets as interchange items in file-name order, every asset (also those without
 * regions), read from the `regions` projection a page of assets at a time so that memory holds
 * one page however large the project. Regions keep their creation order within an item.
 * Regions whose label is gone are left out and reported in `skipped`.
 */
export async function* readExportItems(
  db: Db,
  assets: AssetRow[],
  layer: string,
  nameOf: Map<string, string>,
  skipped: ReportEntry[],
  onPage?: (done: number) => void,
): AsyncGenerator<InterchangeItem> {
  // Where each item lands in an export (`<subset>/<path>`): never where an earlier one did.
  const placed = new NameAllocator()
  for (let start = 0; start < assets.length; start += ASSETS_PER_PAGE) {
    const page = assets.slice(start, start + ASSETS_PER_PAGE)
    const rows = await readRegionPage(
      db,
      layer,
      page.map((a) => a.id),
    )
    // By name, the primary key, for the reason `readRegionPage` gives.
    const tagRows = await db
      .select({ assetId: documents.assetId, tags: documents.tags })
      .from(documents)
      .where(
        inArray(
          documents.name,
          page.map((a) => formatDocumentName(a.id, layer as Layer)),
        ),
      )
    const tagsOf = new Map(tagRows.map((r) => [r.assetId, r.tags]))
    const byAsset = new Map<string, (typeof rows)[number][]>()
    for (const row of rows) {
      const list = byAsset.get(row.assetId)
      if (list) list.push(row)
      else byAsset.set(row.assetId, [row])
    }
    for (const asset of page) {
      const item: InterchangeItem = {
        key: asset.fileName,
        // Where an import found the item; an uploaded image is its file name in no subset.
        subset: asset.subset,
        path: uniquePath(asset, placed, skipped),
        width: asset.width,
        height: asset.height,
        regions: [],
        tags: (tagsOf.get(asset.id) ?? []).flatMap((id) => nameOf.get(id) ?? []),
        // Item fields an import carried (COCO `license`, `date_captured`...), written back.
        ...(Object.keys(asset.interchange).length > 0 ? { attributes: asset.interchange } : {}),
      }
      for (const row of byAsset.get(asset.id) ?? []) {
        const label = nameOf.get(row.labelId)
        if (label === undefined) {
          skipped.push({
            code: 'unknown-label',
            message: `region ${row.regionId} has no label; left out`,
            file: item.path,
          })
          continue
        }
        item.regions.push(toInterchangeRegion(row, label))
      }
      yield item
    }
    onPage?.(start + page.length)
    // PGlite answers within the same turn of the event loop: without a pause between pages a
    // 100,000-region read would hold every other request and live edit until its end.
    await yieldToLoop()
  }
}

type RegionRow = {
  assetId: string
  regionId: string
  kind: string
  labelId: string
  geometry: unknown
  attributes: unknown
  source: string
  score: number | null
}

function toInterchangeRegion(row: RegionRow, label: string): InterchangeRegion {
  const { attributes, extras } = splitExtras((row.attributes ?? {}) as Record<string, unknown>)
  return {
    kind: row.kind,
    label,
    geometry: row.geometry,
    attributes,
    score: row.score,
    source: row.source === 'model' ? 'model' : 'human',
    sourceId: row.regionId,
    ...(extras.group !== undefined ? { group: extras.group } : {}),
    ...(extras.crowd ? { crowd: true } : {}),
    ...(extras.extra ? { extra: extras.extra } : {}),
  } as InterchangeRegion
}

/**
 * One page of regions, in item order, with only the columns an item needs. The page comes back
 * as a single JSON array built by the database: handing over rows one by one is where PGlite
 * spent most of an export (about 3 of 4 seconds for 100,000 regions). Rows are found by document
 * name, the primary key's prefix: by layer and asset the planner scanned the whole layer for
 * each page. Each row is an array, in `RegionRow`'s order, which is smaller and quicker to build
 * and parse than an object.
 */
async function readRegionPage(db: Db, layer: string, assetIds: string[]): Promise<RegionRow[]> {
  const names = sql.join(
    assetIds.map((id) => sql`${formatDocumentName(id, layer as Layer)}`),
    sql`, `,
  )
  const result = (await db.execute(sql`
    select json_agg(json_build_array(r.asset_id, r.region_id, r.kind, r.label_id, r.geometry,
      r.attributes, r.source, r.score) order by r.asset_id, r.created_at, r.region_id)::text as page
    from regions r
    where r.document_name in (${names})`)) as unknown as {
    rows: { page: string | null }[]
  }
  const page = result.rows[0]?.page
  if (!page) return []
  const rows = JSON.parse(page) as RegionTuple[]
  return rows.map(([assetId, regionId, kind, labelId, geometry, attributes, source, score]) => ({
    assetId,
    regionId,
    kind,
    labelId,
    geometry,
    attributes,
    source,
    score,
  }))
}

type RegionTuple = [string, string, string, string, unknown, unknown, string, number | null]
