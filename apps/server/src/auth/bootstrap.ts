import { randomBytes } from 'node:crypto'
import { count } from 'drizzle-orm'
import type { AppContext } from '../context.ts'
import { users } from '../db/schema.ts'
import { newId } from '../lib/ids.ts'
import { hashPassword } from './passwords.ts'

/**
 * On a first start with no users, creates an administrator: from `ADMIN_EMAIL` and
 * `ADMIN_PASSWORD` when set, otherwise `admin@localhost` with a random password that is
 * printed once to the log (the only way anyone can learn it).
 */
export async function ensureAdmin(ctx: AppContext): Promise<void> {
  const db = ctx.database.db
  const [row] = await db.select({ n: count() }).from(users)
  if ((row?.n ?? 0) > 0) return

  const email = (ctx.config.adminEmail ?? 'admin@localhost').toLowerCase()
  const generated = ctx.config.adminPassword === undefined
  const password = ctx.config.adminPassword ?? randomBytes(12).toString('base64url')
  await db
    .insert(users)
    .values({
      id: newId(),
      email,
      name: 'Admin',
      passwordHash: await hashPassword(password),
      isAdmin: true,
    })
    .onConflictDoNothing()

  if (generated) {
    // The one exception to "never passwords in the log": there is no other way to hand over
    // the first password, and it is printed only on the start that creates it.
    ctx.logger.warn({ email }, `created administrator ${email} with password ${password}`)
  } else {
    ctx.logger.info({ email }, 'created administrator')
  }
}
