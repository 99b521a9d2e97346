import type { IncomingHttpHeaders } from 'node:http'
import { parse as parseCookie } from 'hono/utils/cookie'
import type { Db } from '../db/client.ts'
import type { AuthMethod } from '../lib/hono-env.ts'
import { findTokenUser } from './api-tokens.ts'
import { findSessionUser, SESSION_COOKIE } from './sessions.ts'

/** The signed-in person as routes and the sync server see them. */
export type AuthUser = { id: string; email: string; name: string; isAdmin: boolean }

type AnyHeaders = Headers | IncomingHttpHeaders

/**
 * Who sent a request: by `Authorization: Bearer <token>`, by the session cookie, or by a
 * `token` query parameter (browsers cannot set headers on a WebSocket). Null when none of them
 * names a live session or token. `url` may be absolute or a path such as `/sync/x?token=...`.
 */
export async function authenticateRequest(
  db: Db,
  headers: AnyHeaders,
  url: string | URL,
): Promise<AuthUser | null> {
  return (await identifyRequest(db, headers, url))?.user ?? null
}

/** As `authenticateRequest`, also saying which credential was used. */
export async function identifyRequest(
  db: Db,
  headers: AnyHeaders,
  url: string | URL,
): Promise<{ user: AuthUser; method: AuthMethod } | null> {
  const authorization = readHeader(headers, 'authorization')
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
  if (bearer) {
    const user = await findTokenUser(db, bearer)
    return user ? { user, method: 'bearer' } : null
  }

  const cookieHeader = readHeader(headers, 'cookie')
  const sessionId = cookieHeader
    ? parseCookie(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE]
    : undefined
  if (sessionId) {
    const user = await findSessionUser(db, sessionId)
    if (user) return { user, method: 'cookie' }
  }

  const token = new URL(url, 'http://localhost').searchParams.get('token')
  if (token) {
    const user = await findTokenUser(db, token)
    return user ? { user, method: 'query' } : null
  }
  return null
}

function readHeader(headers: AnyHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  const value = headers[name]
  return Array.isArray(value) ? value.join('; ') : value
}
