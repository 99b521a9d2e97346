import { Hono } from 'hono'
import { requireUser } from '../../auth/middleware.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { createSampleProject } from './service.ts'

/** The sample project for a first look without data of one's own. */
export function createSampleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** Makes a sample project of generated images, labels and a few regions; the caller leads it. */
  app.post('/sample-project', async (c) => {
    const project = await createSampleProject(c.var.ctx, requireUser(c))
    c.var.log.info({ projectId: project.id }, 'sample project created')
    return c.json(project, 201)
  })

  return app
}
