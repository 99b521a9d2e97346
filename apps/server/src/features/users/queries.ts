import { asc, eq } from 'drizzle-orm'
import type { AuthUser } from '../../auth/authenticate.ts'
import type { Db } from '../../db/client.ts'
import { users } from '../../db/schema.ts'

const publicColumns = { id: users.id, email: users.email, name: users.name, isAdmin: users.isAdmin }

export function listUsers(db: Db): Promise<AuthUser[]> {
  return db.select(publicColumns).from(users).orderBy(asc(users.email))
}

export async function findUserByEmail(db: Db, email: string): Promise<AuthUser | null> {
  const rows = await db.select(publicColumns).from(users).where(eq(users.email, email)).limit(1)
  return rows[0] ?? null
}

/** Inserts a user; returns null when the email is taken. */
export async function insertUser(
  db: Db,
  user: AuthUser & { passwordHash: string },
): Promise<AuthUser | null> {
  const rows = await db.insert(users).values(user).onConflictDoNothing().returning(publicColumns)
  return rows[0] ?? null
}
