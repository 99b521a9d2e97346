import { labelInputSchema, pickLabelColor, REGION_KINDS, type Label } from '@concord/shared'
import { z } from 'zod'
import { sql } from 'drizzle-orm'
import type { AuthUser } from '../../auth/authenticate.ts'
import { PROJECT_ROLES, type ProjectRole } from '../../auth/roles.ts'
import type { Db } from '../../db/client.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import {
  findLabel,
  findProject,
  insertLabels,
  insertProject,
  listLabels,
  nextLabelPosition,
  updateLabelRow,
  type LabelRow,
  type NewLabelRow,
  type ProjectRow,
} from './queries.ts'

/** A project as the API returns it: with the caller's role and its label schema. */
export type Project = {
  id: string
  name: string
  createdAt: string
  role: ProjectRole
  labels: Label[]
}

export const createProjectBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  labels: z.array(labelInputSchema).max(500).default([]),
})

export const labelPatchSchema = labelInputSchema.partial()

export const addMemberBodySchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  role: z.enum(PROJECT_ROLES),
})

export function toLabel(row: LabelRow): Label {
  const kinds = row.kinds.filter((k): k is Label['kinds'][number] =>
    (REGION_KINDS as readonly string[]).includes(k),
  )
  return { id: row.id, name: row.name, color: row.color, hotkey: row.hotkey, kinds }
}

export function toProject(row: ProjectRow, role: ProjectRole, labels: LabelRow[]): Project {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    role,
    labels: labels.filter((l) => l.projectId === row.id).map(toLabel),
  }
}

export async function loadProject(db: Db, projectId: string, role: ProjectRole): Promise<Project> {
  const row = await findProject(db, projectId)
  if (!row) throw new AppError('not_found', 'Project not found')
  return toProject(row, role, await listLabels(db, [projectId]))
}

/** Creates a project whose creator is its lead; label names and hotkeys must be distinct. */
export async function createProject(
  db: Db,
  user: AuthUser,
  input: z.infer<typeof createProjectBodySchema>,
): Promise<Project> {
  const id = newId()
  const rows = input.labels.map((label, position) => newLabelRow(id, label, position))
  checkDistinct(rows, ['labels'])
  await insertProject(db, { id, name: input.name, createdBy: user.id }, rows)
  return loadProject(db, id, 'lead')
}

/** Adds a label at the end of the schema. */
export async function addLabel(
  db: Db,
  projectId: string,
  input: z.infer<typeof labelInputSchema>,
): Promise<Label> {
  const existing = await listLabels(db, [projectId])
  const row = newLabelRow(projectId, input, await nextLabelPosition(db, projectId))
  checkDistinct([...existing, row], [])
  const [inserted] = await insertLabels(db, [row])
  if (!inserted) throw new AppError('internal', 'The label was not stored')
  return toLabel(inserted)
}

/**
 * Renames, recolours or changes a label. Regions refer to labels by id, so nothing else
 * changes with it.
 */
export async function updateLabel(
  db: Db,
  projectId: string,
  labelId: string,
  patch: z.infer<typeof labelPatchSchema>,
): Promise<Label> {
  const current = await findLabel(db, projectId, labelId)
  if (!current) throw new AppError('not_found', 'Label not found')
  const next: LabelRow = {
    ...current,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.color !== undefined ? { color: patch.color.toLowerCase() } : {}),
    ...(patch.hotkey !== undefined ? { hotkey: patch.hotkey } : {}),
    ...(patch.kinds !== undefined ? { kinds: patch.kinds } : {}),
  }
  const others = (await listLabels(db, [projectId])).filter((l) => l.id !== labelId)
  checkDistinct([...others, next], [])
  const updated = await updateLabelRow(db, labelId, {
    name: next.name,
    color: next.color,
    hotkey: next.hotkey,
    kinds: next.kinds,
  })
  if (!updated) throw new AppError('not_found', 'Label not found')
  return toLabel(updated)
}

/**
 * The ids of labels by name, creating the missing ones at the end of the schema. Used by
 * imports, which name labels rather than refer to ids.
 */
export async function ensureLabels(
  db: Db,
  projectId: string,
  wanted: WantedLabel[],
): Promise<{ idsByName: Map<string, string>; created: number }> {
  const existing = await listLabels(db, [projectId])
  const idsByName = new Map(existing.map((l) => [l.name, l.id]))
  const keptOf = new Map(existing.map((l) => [l.id, l.interchange]))
  let position = await nextLabelPosition(db, projectId)
  const rows: NewLabelRow[] = []
  const fill: { id: string; extras: Record<string, unknown> }[] = []
  for (const label of wanted) {
    const extras = formatExtras(label)
    const id = idsByName.get(label.name)
    if (id !== undefined) {
      // A label already there keeps what it has and takes what it lacks.
      const kept = keptOf.get(id)
      if (kept && Object.keys(extras).some((key) => !(key in kept))) {
        fill.push({ id, extras })
        keptOf.set(id, { ...extras, ...kept })
      }
      continue
    }
    const color = label.color && /^#[0-9a-fA-F]{6}$/.test(label.color) ? label.color : undefined
    const row = {
      ...newLabelRow(projectId, { name: label.name, color }, position),
      interchange: extras,
    }
    position += 1
    idsByName.set(label.name, row.id as string)
    keptOf.set(row.id, extras)
    rows.push(row)
  }
  await insertLabels(db, rows)
  for (const { id, extras } of fill) {
    await db.execute(
      sql`update labels set interchange = ${JSON.stringify(extras)}::jsonb || interchange where id = ${id}`,
    )
  }
  return { idsByName, created: rows.length }
}

/** A label an import needs, with what its format says of it beyond name and colour. */
export type WantedLabel = {
  name: string
  color?: string | undefined
  supercategory?: string | undefined
  keypoints?: string[] | undefined
  skeleton?: [number, number][] | undefined
}

/** The fields of a label that only the formats use, kept for their exports. */
function formatExtras(label: WantedLabel): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (label.supercategory) out.supercategory = label.supercategory
  if (label.keypoints && label.keypoints.length > 0) out.keypoints = label.keypoints
  if (label.skeleton && label.skeleton.length > 0) out.skeleton = label.skeleton
  return out
}

function newLabelRow(
  projectId: string,
  input: {
    name: string
    color?: string | undefined
    hotkey?: number | null | undefined
    kinds?: string[] | undefined
  },
  position: number,
): NewLabelRow & { id: string; name: string; hotkey: number | null } {
  return {
    id: newId(),
    projectId,
    name: input.name,
    color: (input.color ?? pickLabelColor(position)).toLowerCase(),
    hotkey: input.hotkey ?? null,
    kinds: input.kinds ?? [],
    position,
  }
}

/** Refuses two labels with one name, or two with one hotkey, in a schema. */
function checkDistinct(
  rows: { name: string; hotkey: number | null | undefined }[],
  prefix: string[],
): void {
  const names = new Set<string>()
  const hotkeys = new Set<number>()
  for (const row of rows) {
    if (names.has(row.name)) {
      throw new AppError('conflict', `A label named "${row.name}" exists`, {
        path: [...prefix, 'name'],
      })
    }
    names.add(row.name)
    if (row.hotkey !== null && row.hotkey !== undefined) {
      if (hotkeys.has(row.hotkey)) {
        throw new AppError('conflict', `Hotkey ${row.hotkey} is taken`, {
          path: [...prefix, 'hotkey'],
        })
      }
      hotkeys.add(row.hotkey)
    }
  }
}
