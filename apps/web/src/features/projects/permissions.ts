import type { Role } from '../../app/api.ts'

/** Roles from least to most trusted; each can do what the ones before it can. */
const ROLE_ORDER: readonly Role[] = ['annotator', 'reviewer', 'lead']

/** The least role the server asks for each project action. */
const LEAST_ROLE = {
  upload: 'lead',
  import: 'lead',
  export: 'reviewer',
  editLabels: 'lead',
  addMembers: 'lead',
} as const satisfies Record<string, Role>

export type ProjectAction = keyof typeof LEAST_ROLE

/** Whether a member with `role` may do `action`; controls for the rest are not shown at all. */
export function can(role: Role, action: ProjectAction): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(LEAST_ROLE[action])
}
