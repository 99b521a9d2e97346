import { and, eq, gt, lt } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { sessions, users } from '../db/schema.ts'
import type { AuthUser } from './authenticate.ts'
import { hashSecret, newSecret } from './secrets.ts'

/** The cookie that carries the session id. */
export const SESSION_COOKIE = 'concord_session'

/** Sessions last 30 days: a labelling team signs in once a month, not once a day. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60

/** Creates a session and returns its id, the only time the id exists outside the cookie. */
export async function createSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const id = newSecret()
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000)
  await db.insert(sessions).values({ idHash: hashSecret(id), userId, expiresAt })
  // Expired sessions are swept while creating new ones; no background job is needed for it.
  await db.delete(sessions).where(lt(sessions.expiresAt, now))
  return id
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, hashSecret(id)))
}

/** The user of an unexpired session, or null. */
export async function findSessionUser(db: Db, id: string): Promise<AuthUser | null> {
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, isAdmin: users.isAdmin })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hashSecret(id)), gt(sessions.expiresAt, new Date())))
    .limit(1)
  return rows[0] ?? null
}
