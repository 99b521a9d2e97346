import { eq } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { apiTokens, users } from '../db/schema.ts'
import type { AuthUser } from './authenticate.ts'
import { hashSecret, newSecret } from './secrets.ts'

/** API tokens start with this, so a leaked one is recognisable by secret scanners and people. */
export const TOKEN_PREFIX = 'cct_'

/** A new token: the prefix and a random secret. Only its SHA-256 is stored. */
export function newApiToken(): { token: string; tokenHash: string } {
  const token = `${TOKEN_PREFIX}${newSecret()}`
  return { token, tokenHash: hashSecret(token) }
}

/** The user who owns `token`, or null; marks the token as used. */
export async function findTokenUser(db: Db, token: string): Promise<AuthUser | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const tokenHash = hashSecret(token)
  const rows = await db
    .select({
      tokenId: apiTokens.id,
      id: users.id,
      email: users.email,
      name: users.name,
      isAdmin: users.isAdmin,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1)
  const row = rows[0]
  if (!row) return null
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId))
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.isAdmin }
}
