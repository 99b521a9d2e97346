import { describe, expect, it } from 'vitest'
import { can } from './permissions.ts'

describe('project actions by role', () => {
  it('lets only a lead upload and import', () => {
    const roles = ['annotator', 'reviewer', 'lead'] as const
    expect(roles.map((role) => can(role, 'upload'))).toEqual([false, false, true])
    expect(can('reviewer', 'import')).toBe(false)
    expect(can('lead', 'import')).toBe(true)
  })

  it('lets a reviewer or a lead export, not an annotator', () => {
    expect(can('annotator', 'export')).toBe(false)
    expect(can('reviewer', 'export')).toBe(true)
    expect(can('lead', 'export')).toBe(true)
  })
})
