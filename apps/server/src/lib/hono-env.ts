import type { AuthUser } from '../auth/authenticate.ts'
import type { AppContext } from '../context.ts'
import type { Logger } from './logger.ts'

/** How a request proved who it is; only cookie-authenticated writes need the CSRF check. */
export type AuthMethod = 'cookie' | 'bearer' | 'query'

/** The Hono environment every route shares: per-request values set by the app's middleware. */
export type AppEnv = {
  Variables: {
    ctx: AppContext
    requestId: string
    log: Logger
    user: AuthUser | null
    authMethod: AuthMethod | null
  }
}
