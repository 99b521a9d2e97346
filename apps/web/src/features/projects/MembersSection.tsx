import { useState } from 'react'
import { errorText, type Role } from '../../app/api.ts'
import { useAddMember, useMembers } from './queries.ts'

const ROLES: Role[] = ['annotator', 'reviewer', 'lead']

/** Who works on the project; a lead adds people by email with a role. */
export function MembersSection({ projectId, canAdd }: { projectId: string; canAdd: boolean }) {
  const members = useMembers(projectId)
  const add = useAddMember(projectId)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('annotator')

  return (
    <section className="card" data-testid="members-section">
      <h2>Members</h2>
      {members.error && <p className="error">{errorText(members.error)}</p>}
      <ul>
        {members.data?.map((m) => (
          <li key={m.userId} data-testid="member-row">
            {m.name || m.email}{' '}
            <span className="muted">
              · {m.email} · {m.role}
            </span>
          </li>
        ))}
      </ul>
      {canAdd && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            add.mutate({ email, role }, { onSuccess: () => setEmail('') })
          }}
        >
          <input
            data-testid="member-email"
            type="email"
            placeholder="colleague@example.com"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <select
            data-testid="member-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit" data-testid="member-add" disabled={add.isPending}>
            Add member
          </button>
        </form>
      )}
      {add.error && <p className="error">{errorText(add.error)}</p>}
    </section>
  )
}
