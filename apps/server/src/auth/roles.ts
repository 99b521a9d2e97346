import { and, eq } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { projectMembers, projects } from '../db/schema.ts'
import { AppError } from '../lib/errors.ts'
import type { AuthUser } from './authenticate.ts'

/** Project roles, weakest first: each may do everything the ones before it may. */
export const PROJECT_ROLES = ['annotator', 'reviewer', 'lead'] as const
export type ProjectRole = (typeof PROJECT_ROLES)[number]

export function roleAtLeast(role: ProjectRole, min: ProjectRole): boolean {
  return PROJECT_ROLES.indexOf(role) >= PROJECT_ROLES.indexOf(min)
}

/**
 * The user's role in a project (an instance admin counts as lead everywhere). A project the
 * user is not a member of answers 404, as one that does not exist, so ids cannot be probed;
 * a member below `min` gets 403.
 */
export async function requireProjectRole(
  db: Db,
  user: AuthUser,
  projectId: string,
  min: ProjectRole,
): Promise<ProjectRole> {
  const role = await findProjectRole(db, user, projectId)
  if (role === null) throw new AppError('not_found', 'Project not found')
  if (!roleAtLeast(role, min)) {
    throw new AppError('forbidden', `This needs the ${min} role in the project`, {
      role,
      needed: min,
    })
  }
  return role
}

/** The user's role in the project, or null when they have none (or it does not exist). */
export async function findProjectRole(
  db: Db,
  user: AuthUser,
  projectId: string,
): Promise<ProjectRole | null> {
  if (user.isAdmin) {
    const found = await db
      .select({ id: projects.id })
      .from(projects)
      .where(eq(projects.id, projectId))
      .limit(1)
    return found.length > 0 ? 'lead' : null
  }
  const rows = await db
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, user.id)))
    .limit(1)
  return rows[0]?.role ?? null
}
