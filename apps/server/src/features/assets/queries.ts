import { and, asc, count, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { assets, regions } from '../../db/schema.ts'

export type AssetRow = typeof assets.$inferSelect
export type NewAssetRow = typeof assets.$inferInsert

export function listAssetRows(db: Db, projectId: string): Promise<AssetRow[]> {
  return db
    .select()
    .from(assets)
    .where(eq(assets.projectId, projectId))
    .orderBy(asc(assets.fileName))
}

export async function findAssetRow(db: Db, assetId: string): Promise<AssetRow | null> {
  const rows = await db.select().from(assets).where(eq(assets.id, assetId)).limit(1)
  return rows[0] ?? null
}

/** File names already taken in a project. */
export async function listFileNames(db: Db, projectId: string): Promise<Set<string>> {
  const rows = await db
    .select({ fileName: assets.fileName })
    .from(assets)
    .where(eq(assets.projectId, projectId))
  return new Set(rows.map((r) => r.fileName))
}

/** Inserts an asset; null when the project already has one with this file name. */
export async function insertAssetRow(db: Db, row: NewAssetRow): Promise<AssetRow | null> {
  const rows = await db.insert(assets).values(row).onConflictDoNothing().returning()
  return rows[0] ?? null
}

/** Inserts assets in multi-row statements; returns the ids inserted (a taken file name is not). */
export async function insertAssetRows(db: Db, rows: NewAssetRow[]): Promise<Set<string>> {
  const inserted = new Set<string>()
  // 14 columns a row, well under PostgreSQL's 65,535 parameters a statement.
  for (let i = 0; i < rows.length; i += 1_000) {
    const out = await db
      .insert(assets)
      .values(rows.slice(i, i + 1_000))
      .onConflictDoNothing()
      .returning({ id: assets.id })
    for (const row of out) inserted.add(row.id)
  }
  return inserted
}

/** Region counts per asset in one layer, from the projection the sync server keeps. */
export async function countRegionsByAsset(
  db: Db,
  projectId: string,
  layer: string,
): Promise<Map<string, number>> {
  const rows = await db
    .select({ assetId: regions.assetId, n: count() })
    .from(regions)
    .where(and(eq(regions.projectId, projectId), eq(regions.layer, layer)))
    .groupBy(regions.assetId)
  return new Map(rows.map((r) => [r.assetId, r.n]))
}

export async function countAssetRegions(db: Db, assetId: string, layer: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(regions)
    .where(and(eq(regions.assetId, assetId), eq(regions.layer, layer)))
  return row?.n ?? 0
}
