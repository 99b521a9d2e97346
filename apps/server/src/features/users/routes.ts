import { Hono } from 'hono'
import { requireAdmin } from '../../auth/middleware.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { readJson } from '../../lib/validate.ts'
import { listUsers } from './queries.ts'
import { createUser, createUserBodySchema } from './service.ts'

/** Accounts of the instance; administrators only. */
export function createUserRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** Every account, by email. */
  app.get('/users', async (c) => {
    requireAdmin(c)
    return c.json({ users: await listUsers(c.var.ctx.database.db) })
  })

  /** Creates an account with a password; 409 when the email is taken. */
  app.post('/users', async (c) => {
    requireAdmin(c)
    const body = await readJson(c, createUserBodySchema)
    const user = await createUser(c.var.ctx.database.db, body)
    c.var.log.info({ createdUserId: user.id }, 'user created')
    return c.json({ user }, 201)
  })

  return app
}
