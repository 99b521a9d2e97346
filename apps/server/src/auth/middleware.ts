import type { Context, MiddlewareHandler } from 'hono'
import { AppError } from '../lib/errors.ts'
import type { AppEnv } from '../lib/hono-env.ts'
import type { AuthUser } from './authenticate.ts'
import { identifyRequest } from './authenticate.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Puts the requesting user (or null) and how they signed in on the context. */
export function authMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const found = await identifyRequest(c.var.ctx.database.db, c.req.raw.headers, c.req.url)
    c.set('user', found?.user ?? null)
    c.set('authMethod', found?.method ?? null)
    await next()
  }
}

/**
 * Refuses cookie-authenticated writes whose `Origin` is not this server. A browser always
 * sends `Origin` on a cross-site POST, so a forged form or fetch from another site fails here;
 * bearer-token requests are exempt because a browser never attaches a token on its own.
 */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method) && c.var.authMethod === 'cookie') {
      checkSameOrigin(c, true)
    }
    await next()
  }
}

/**
 * Throws `csrf` unless the request's `Origin` (or, lacking it, `Sec-Fetch-Site`) says it came
 * from this origin. With `required` false a request carrying neither header passes: used for
 * login, which scripts call without a browser.
 */
export function checkSameOrigin(c: Context<AppEnv>, required: boolean): void {
  const origin = c.req.header('origin')
  if (origin !== undefined) {
    if (isOwnHost(c, origin)) return
    throw new AppError('csrf', 'Cross-site request refused: the Origin does not match this server')
  }
  const site = c.req.header('sec-fetch-site')
  if (site === 'same-origin' || site === 'none') return
  if (site !== undefined || required) {
    throw new AppError('csrf', 'Cross-site request refused: the request carries no Origin header')
  }
}

/**
 * Whether `origin` names this server's host. The scheme is not compared: behind a proxy that
 * ends TLS the browser says `https://` while the server sees `http://`. A proxy that rewrites
 * the host passes the public one in `X-Forwarded-Host`, which a cross-site page cannot set.
 */
function isOwnHost(c: Context<AppEnv>, origin: string): boolean {
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  const forwarded = c.req.header('x-forwarded-host')?.split(',')[0]?.trim()
  return host === new URL(c.req.url).host || (forwarded !== undefined && host === forwarded)
}

/** The signed-in user, or a 401. */
export function requireUser(c: Context<AppEnv>): AuthUser {
  const user = c.var.user
  if (!user) throw new AppError('unauthenticated', 'Sign in first')
  return user
}

/** The signed-in user when an instance admin, otherwise 401 or 403. */
export function requireAdmin(c: Context<AppEnv>): AuthUser {
  const user = requireUser(c)
  if (!user.isAdmin) throw new AppError('forbidden', 'Only an administrator may do this')
  return user
}
