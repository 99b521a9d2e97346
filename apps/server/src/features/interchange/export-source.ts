import type {
  InterchangeItem,
  InterchangeLabel,
  InterchangeRegion,
  ReportEntry,
} from '@concord/shared/formats/index'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { documents } from '../../db/schema.ts'
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
    const rows = await readRegionPage(
      db,
      layer,
      page.map((a) => a.id),
    )
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
 * spent most of an export (about 3 of 4 seconds for 100,000 regions).
 */
async function readRegionPage(db: Db, layer: string, assetIds: string[]): Promise<RegionRow[]> {
  const ids = sql.join(
    assetIds.map((id) => sql`${id}`),
    sql`, `,
  )
  const result = (await db.execute(sql`
    select json_agg(json_build_object(
      'assetId', r.asset_id, 'regionId', r.region_id, 'kind', r.kind, 'labelId', r.label_id,
      'geometry', r.geometry, 'attributes', r.attributes, 'source', r.source, 'score', r.score
    ) order by r.asset_id, r.created_at, r.region_id)::text as page
    from regions r
    where r.layer = ${layer} and r.asset_id in (${ids})`)) as unknown as {
    rows: { page: string | null }[]
  }
  const page = result.rows[0]?.page
  return page ? (JSON.parse(page) as RegionRow[]) : []
}
