import { labelInputSchema } from '@concord/shared'
import { Hono } from 'hono'
import { requireUser } from '../../auth/middleware.ts'
import { requireProjectRole } from '../../auth/roles.ts'
import { AppError } from '../../lib/errors.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { readJson } from '../../lib/validate.ts'
import { findUserByEmail } from '../users/queries.ts'
import { listLabels, listMembers, listProjectsWithRole, upsertMember } from './queries.ts'
import {
  addLabel,
  addMemberBodySchema,
  createProject,
  createProjectBodySchema,
  labelPatchSchema,
  loadProject,
  toProject,
  updateLabel,
} from './service.ts'

/** Projects, their label schemas and their members. */
export function createProjectRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** Projects the user belongs to (all of them for an admin), oldest first. */
  app.get('/projects', async (c) => {
    const user = requireUser(c)
    const db = c.var.ctx.database.db
    const rows = await listProjectsWithRole(db, user)
    const labels = await listLabels(
      db,
      rows.map((r) => r.id),
    )
    return c.json({ projects: rows.map((row) => toProject(row, row.role, labels)) })
  })

  /** Creates a project; the creator becomes its lead. */
  app.post('/projects', async (c) => {
    const user = requireUser(c)
    const body = await readJson(c, createProjectBodySchema)
    const project = await createProject(c.var.ctx.database.db, user, body)
    c.var.log.info({ projectId: project.id }, 'project created')
    return c.json(project, 201)
  })

  /** One project with the caller's role; any member. */
  app.get('/projects/:projectId', async (c) => {
    const db = c.var.ctx.database.db
    const projectId = c.req.param('projectId')
    const role = await requireProjectRole(db, requireUser(c), projectId, 'annotator')
    return c.json(await loadProject(db, projectId, role))
  })

  /** Adds a label to the schema; leads only. */
  app.post('/projects/:projectId/labels', async (c) => {
    const db = c.var.ctx.database.db
    const projectId = c.req.param('projectId')
    await requireProjectRole(db, requireUser(c), projectId, 'lead')
    const body = await readJson(c, labelInputSchema)
    return c.json(await addLabel(db, projectId, body), 201)
  })

  /** Renames, recolours or re-keys a label; leads only. Regions keep pointing at it by id. */
  app.patch('/projects/:projectId/labels/:labelId', async (c) => {
    const db = c.var.ctx.database.db
    const projectId = c.req.param('projectId')
    await requireProjectRole(db, requireUser(c), projectId, 'lead')
    const body = await readJson(c, labelPatchSchema)
    return c.json(await updateLabel(db, projectId, c.req.param('labelId'), body))
  })

  /** The project's members and their roles; any member. */
  app.get('/projects/:projectId/members', async (c) => {
    const db = c.var.ctx.database.db
    const projectId = c.req.param('projectId')
    await requireProjectRole(db, requireUser(c), projectId, 'annotator')
    return c.json({ members: await listMembers(db, projectId) })
  })

  /** Adds a user by email with a role, or changes their role; leads only. */
  app.post('/projects/:projectId/members', async (c) => {
    const db = c.var.ctx.database.db
    const projectId = c.req.param('projectId')
    await requireProjectRole(db, requireUser(c), projectId, 'lead')
    const { email, role } = await readJson(c, addMemberBodySchema)
    const user = await findUserByEmail(db, email)
    if (!user) throw new AppError('not_found', 'No user with this email', { path: ['email'] })
    await upsertMember(db, projectId, user.id, role)
    const member = { userId: user.id, email: user.email, name: user.name, role }
    return c.json({ member }, 201)
  })

  return app
}
