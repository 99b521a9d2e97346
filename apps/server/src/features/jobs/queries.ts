import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { jobs } from '../../db/schema.ts'

export type JobRow = typeof jobs.$inferSelect
export type NewJobRow = typeof jobs.$inferInsert
export type JobState = JobRow['state']
export type JobPatch = Partial<Omit<JobRow, 'id' | 'projectId' | 'userId' | 'createdAt'>>

export async function insertJobRow(db: Db, row: NewJobRow): Promise<JobRow> {
  const [inserted] = await db.insert(jobs).values(row).returning()
  if (!inserted) throw new Error('job row not stored')
  return inserted
}

export async function findJobRow(db: Db, id: string): Promise<JobRow | null> {
  const rows = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1)
  return rows[0] ?? null
}

/** The project's jobs, newest first. */
export function listJobRows(db: Db, projectId: string, limit: number): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(eq(jobs.projectId, projectId))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit)
}

/** Applies `patch` and touches `updated_at`, the mark that the job's process is alive. */
export async function updateJobRow(db: Db, id: string, patch: JobPatch): Promise<void> {
  await db
    .update(jobs)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(jobs.id, id))
}

/**
 * Marks unfinished jobs as failed: those not touched since `staleBefore` (or all of them when it
 * is null). Returns how many.
 */
export async function failAbandonedJobs(
  db: Db,
  staleBefore: Date | null,
  error: Record<string, unknown>,
): Promise<number> {
  const unfinished = inArray(jobs.state, ['queued', 'running'])
  const rows = await db
    .update(jobs)
    .set({ state: 'failed', error, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(staleBefore ? and(unfinished, lt(jobs.updatedAt, staleBefore)) : unfinished)
    .returning({ id: jobs.id })
  return rows.length
}
