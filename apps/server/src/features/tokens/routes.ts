import { Hono } from 'hono'
import { z } from 'zod'
import { newApiToken } from '../../auth/api-tokens.ts'
import { requireUser } from '../../auth/middleware.ts'
import { AppError } from '../../lib/errors.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { newId } from '../../lib/ids.ts'
import { readJson } from '../../lib/validate.ts'
import { deleteToken, insertToken, listTokens } from './queries.ts'

export const createTokenBodySchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
})

/** API tokens of the signed-in user, for scripts and machines. */
export function createTokenRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** Creates a token; its secret is in this response only and stored hashed. */
  app.post('/tokens', async (c) => {
    const user = requireUser(c)
    const { name } = await readJson(c, createTokenBodySchema)
    const { token, tokenHash } = newApiToken()
    const id = newId()
    await insertToken(c.var.ctx.database.db, {
      id,
      userId: user.id,
      name: name ?? 'token',
      tokenHash,
    })
    return c.json({ id, token }, 201)
  })

  /** The user's tokens, without their secrets. */
  app.get('/tokens', async (c) => {
    const user = requireUser(c)
    const tokens = await listTokens(c.var.ctx.database.db, user.id)
    return c.json({ tokens })
  })

  /** Revokes one of the user's tokens. */
  app.delete('/tokens/:id', async (c) => {
    const user = requireUser(c)
    const deleted = await deleteToken(c.var.ctx.database.db, user.id, c.req.param('id'))
    if (!deleted) throw new AppError('not_found', 'Token not found')
    return c.body(null, 204)
  })

  return app
}
