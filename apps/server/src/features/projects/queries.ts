import { and, asc, eq, inArray, max } from 'drizzle-orm'
import type { ProjectRole } from '../../auth/roles.ts'
import type { Db } from '../../db/client.ts'
import { labels, projectMembers, projects, users } from '../../db/schema.ts'

export type ProjectRow = typeof projects.$inferSelect
export type LabelRow = typeof labels.$inferSelect
export type NewLabelRow = typeof labels.$inferInsert

/** Projects the user is a member of with their role; every project for an admin (as lead). */
export async function listProjectsWithRole(
  db: Db,
  user: { id: string; isAdmin: boolean },
): Promise<(ProjectRow & { role: ProjectRole })[]> {
  if (user.isAdmin) {
    const rows = await db.select().from(projects).orderBy(asc(projects.createdAt))
    return rows.map((row) => ({ ...row, role: 'lead' as const }))
  }
  const rows = await db
    .select({ project: projects, role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(eq(projectMembers.userId, user.id))
    .orderBy(asc(projects.createdAt))
  return rows.map((row) => ({ ...row.project, role: row.role }))
}

export async function findProject(db: Db, id: string): Promise<ProjectRow | null> {
  const rows = await db.select().from(projects).where(eq(projects.id, id)).limit(1)
  return rows[0] ?? null
}

/** Labels of the given projects in their schema order. */
export function listLabels(db: Db, projectIds: string[]): Promise<LabelRow[]> {
  if (projectIds.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(labels)
    .where(inArray(labels.projectId, projectIds))
    .orderBy(asc(labels.projectId), asc(labels.position))
}

export async function findLabel(
  db: Db,
  projectId: string,
  labelId: string,
): Promise<LabelRow | null> {
  const rows = await db
    .select()
    .from(labels)
    .where(and(eq(labels.projectId, projectId), eq(labels.id, labelId)))
    .limit(1)
  return rows[0] ?? null
}

/** Inserts a project with its first lead and labels in one transaction. */
export async function insertProject(
  db: Db,
  project: { id: string; name: string; createdBy: string },
  firstLabels: NewLabelRow[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(projects).values(project)
    await tx
      .insert(projectMembers)
      .values({ projectId: project.id, userId: project.createdBy, role: 'lead' })
    if (firstLabels.length > 0) await tx.insert(labels).values(firstLabels)
  })
}

/** The next free label position in a project. */
export async function nextLabelPosition(db: Db, projectId: string): Promise<number> {
  const [row] = await db
    .select({ last: max(labels.position) })
    .from(labels)
    .where(eq(labels.projectId, projectId))
  return (row?.last ?? -1) + 1
}

export async function insertLabels(db: Db, rows: NewLabelRow[]): Promise<LabelRow[]> {
  if (rows.length === 0) return []
  return db.insert(labels).values(rows).returning()
}

export async function updateLabelRow(
  db: Db,
  labelId: string,
  patch: Partial<Pick<LabelRow, 'name' | 'color' | 'hotkey' | 'kinds'>>,
): Promise<LabelRow | null> {
  const rows = await db.update(labels).set(patch).where(eq(labels.id, labelId)).returning()
  return rows[0] ?? null
}

export function listMembers(db: Db, projectId: string) {
  return db
    .select({
      userId: projectMembers.userId,
      email: users.email,
      name: users.name,
      role: projectMembers.role,
    })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, projectId))
    .orderBy(asc(users.email))
}

/** Adds a member, or changes the role of one who is already in the project. */
export async function upsertMember(
  db: Db,
  projectId: string,
  userId: string,
  role: ProjectRole,
): Promise<void> {
  await db
    .insert(projectMembers)
    .values({ projectId, userId, role })
    .onConflictDoUpdate({
      target: [projectMembers.projectId, projectMembers.userId],
      set: { role },
    })
}
