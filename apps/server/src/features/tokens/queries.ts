import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { apiTokens } from '../../db/schema.ts'

export type TokenSummary = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }

export function listTokens(db: Db, userId: string): Promise<TokenSummary[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt))
}

export async function insertToken(
  db: Db,
  token: { id: string; userId: string; name: string; tokenHash: string },
): Promise<void> {
  await db.insert(apiTokens).values(token)
}

/** Deletes one of the user's tokens; false when they have no such token. */
export async function deleteToken(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id })
  return rows.length > 0
}
