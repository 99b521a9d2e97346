import type {
  InterchangeItem,
  InterchangeLabel,
  InterchangeRegion,
  ReportEntry,
} from '@concord/shared/formats/index'
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { documents, regions as regionsTable } from '../../db/schema.ts'
import type { AssetRow } from '../assets/queries.ts'
import { listLabels } from '../projects/queries.ts'
import { splitExtras } from './region-extras.ts'

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
    labels: rows.map((l) => ({ name: l.name, color: l.color })),
    nameOf: new Map(rows.map((l) => [l.id, l.name])),
  }
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
  for (let start = 0; start < assets.length; start += ASSETS_PER_PAGE) {
    const page = assets.slice(start, start + ASSETS_PER_PAGE)
    // Only the columns an item needs: PGlite spends most of a page's time handing over rows.
    const rows = await db
      .select(REGION_COLUMNS)
      .from(regionsTable)
      .where(
        and(
          eq(regionsTable.layer, layer),
          inArray(
            regionsTable.assetId,
            page.map((a) => a.id),
          ),
        ),
      )
      .orderBy(asc(regionsTable.assetId), asc(regionsTable.createdAt), asc(regionsTable.regionId))
    const tagRows = await db
      .select({ assetId: documents.assetId, tags: documents.tags })
      .from(documents)
      .where(
        and(
          eq(documents.layer, layer),
          inArray(
            documents.assetId,
            page.map((a) => a.id),
          ),
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
        subset: '',
        path: asset.fileName,
        width: asset.width,
        height: asset.height,
        regions: [],
        tags: (tagsOf.get(asset.id) ?? []).flatMap((id) => nameOf.get(id) ?? []),
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
  }
}

const REGION_COLUMNS = {
  assetId: regionsTable.assetId,
  regionId: regionsTable.regionId,
  kind: regionsTable.kind,
  labelId: regionsTable.labelId,
  geometry: regionsTable.geometry,
  attributes: regionsTable.attributes,
  source: regionsTable.source,
  score: regionsTable.score,
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
