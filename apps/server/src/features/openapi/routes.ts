import { Hono } from 'hono'
import type { AppEnv } from '../../lib/hono-env.ts'
import { VERSION } from '../../lib/version.ts'
import { buildOpenApiDocument } from './spec.ts'

/** The OpenAPI 3.1 description, built once on first request. */
export function createOpenApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  let document: Record<string, unknown> | undefined

  /** OpenAPI 3.1 description of every route; needs no sign-in. */
  app.get('/openapi.json', (c) => {
    document ??= buildOpenApiDocument(VERSION)
    return c.json(document)
  })

  return app
}
