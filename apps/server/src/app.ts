import { Hono, type Context } from 'hono'
import { csrfGuard, authMiddleware } from './auth/middleware.ts'
import { createAuthRoutes } from './auth/routes.ts'
import type { AppContext } from './context.ts'
import { createAssetRoutes } from './features/assets/routes.ts'
import { createInterchangeRoutes } from './features/interchange/routes.ts'
import { createJobRoutes } from './features/jobs/routes.ts'
import { createOpenApiRoutes } from './features/openapi/routes.ts'
import { createProjectRoutes } from './features/projects/routes.ts'
import { createSampleRoutes } from './features/sample/routes.ts'
import { createTokenRoutes } from './features/tokens/routes.ts'
import { createUserRoutes } from './features/users/routes.ts'
import { AppError, toAppError } from './lib/errors.ts'
import type { AppEnv } from './lib/hono-env.ts'
import { newId } from './lib/ids.ts'
import { serveWeb } from './lib/serve-web.ts'
import { VERSION } from './lib/version.ts'

const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/

/**
 * The HTTP app: the REST API under `/api`, and the built web app for every other GET. One
 * error handler turns every failure into `{ error: { code, message, details } }`.
 */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id')
    const requestId = given && REQUEST_ID_PATTERN.test(given) ? given : newId(9)
    c.set('ctx', ctx)
    c.set('requestId', requestId)
    c.set('log', ctx.logger.child({ reqId: requestId }))
    c.set('user', null)
    c.set('authMethod', null)
    const started = performance.now()
    await next()
    c.header('X-Request-Id', requestId)
    logRequest(c, performance.now() - started)
  })
  app.onError(handleError)

  const api = new Hono<AppEnv>()
  api.use('*', authMiddleware(), csrfGuard())
  /** Liveness and the running version; needs no sign-in. */
  api.get('/health', (c) => c.json({ ok: true, version: VERSION }))
  api.route('/auth', createAuthRoutes())
  api.route('/', createUserRoutes())
  api.route('/', createTokenRoutes())
  api.route('/', createProjectRoutes())
  api.route('/', createAssetRoutes())
  api.route('/', createInterchangeRoutes())
  api.route('/', createJobRoutes())
  api.route('/', createSampleRoutes())
  api.route('/', createOpenApiRoutes())
  api.all('*', () => {
    throw new AppError('not_found', 'No such API route')
  })
  app.route('/api', api)

  const web = serveWeb(ctx.config.webDist)
  app.on(['GET', 'HEAD'], '*', (c) => web(c))
  app.notFound(() => {
    throw new AppError('not_found', 'Not found')
  })
  return app
}

/** Turns any thrown value into the API's error body; faults are logged with their stack. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
  const appError = toAppError(error)
  if (appError.status >= 500) c.var.log?.error({ err: error }, 'request failed')
  const { code, message, details } = appError
  return c.json({ error: { code, message, ...(details ? { details } : {}) } }, appError.status)
}

/** One line per request: warn for refused input, error for faults. No query string: it may hold a token. */
function logRequest(c: Context<AppEnv>, ms: number): void {
  const status = c.res.status
  const fields = {
    method: c.req.method,
    path: c.req.path,
    status,
    ms: Math.round(ms * 10) / 10,
    userId: c.var.user?.id,
  }
  if (status >= 500) c.var.log.error(fields, 'request')
  else if (status >= 400) c.var.log.warn(fields, 'request')
  else c.var.log.info(fields, 'request')
}
