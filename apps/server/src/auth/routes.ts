import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { users } from '../db/schema.ts'
import { AppError } from '../lib/errors.ts'
import type { AppEnv } from '../lib/hono-env.ts'
import { readJson } from '../lib/validate.ts'
import type { AuthUser } from './authenticate.ts'
import { checkSameOrigin, requireUser } from './middleware.ts'
import { getDecoyHash, verifyPassword } from './passwords.ts'
import { LoginRateLimiter } from './rate-limit.ts'
import {
  createSession,
  deleteSession,
  SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
} from './sessions.ts'

export const loginBodySchema = z.object({
  // Not checked as an email address: the generated first admin is `admin@localhost`.
  email: z.string().trim().toLowerCase().min(1).max(320),
  password: z.string().min(1).max(1024),
})

/** Sign in, sign out and who-am-I. Mounted at `/api/auth`. */
export function createAuthRoutes(): Hono<AppEnv> {
  const limiter = new LoginRateLimiter()
  const app = new Hono<AppEnv>()

  /** Checks the password and sets the session cookie; failures are counted per email and address. */
  app.post('/login', async (c) => {
    checkSameOrigin(c, false)
    const { email, password } = await readJson(c, loginBodySchema)
    const key = `${email}|${clientAddress(c)}`
    const wait = limiter.retryAfter(key)
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)))
      throw new AppError('too_many_requests', 'Too many failed sign-ins; try again later')
    }

    const db = c.var.ctx.database.db
    const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1)
    const ok = await verifyPassword(row?.passwordHash ?? (await getDecoyHash()), password)
    if (!row || !ok) {
      limiter.recordFailure(key)
      throw new AppError('invalid_credentials', 'Wrong email or password')
    }
    limiter.recordSuccess(key)

    const sessionId = await createSession(db, row.id)
    setCookie(c, SESSION_COOKIE, sessionId, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: new URL(c.req.url).protocol === 'https:',
      path: '/',
      maxAge: SESSION_MAX_AGE_SECONDS,
    })
    const user: AuthUser = { id: row.id, email: row.email, name: row.name, isAdmin: row.isAdmin }
    return c.json({ user })
  })

  /** Ends the session of the cookie, if any, and clears the cookie. */
  app.post('/logout', async (c) => {
    const sessionId = getCookie(c, SESSION_COOKIE)
    if (sessionId) await deleteSession(c.var.ctx.database.db, sessionId)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })

  /** The signed-in user. */
  app.get('/me', (c) => c.json({ user: requireUser(c) }))

  return app
}

/** The peer address; requests made in process (tests) have none. */
function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
