import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, errorText, type User } from '../../app/api.ts'

const USERS_KEY = ['users'] as const

/** For an admin: the instance's people, and a form to add one (they then join projects). */
export function UsersSection() {
  const client = useQueryClient()
  const users = useQuery({
    queryKey: USERS_KEY,
    queryFn: async () => (await api<{ users: User[] }>('/api/users')).users,
  })
  const create = useMutation({
    mutationFn: (input: { email: string; name: string; password: string; isAdmin: boolean }) =>
      api<{ user: User }>('/api/users', { method: 'POST', json: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  })
  const [draft, setDraft] = useState({ email: '', name: '', password: '', isAdmin: false })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(draft, {
      onSuccess: () => setDraft({ email: '', name: '', password: '', isAdmin: false }),
    })
  }

  return (
    <section className="card" data-testid="users-section">
      <h2>People</h2>
      <form className="row" onSubmit={submit}>
        <input
          data-testid="user-email"
          type="email"
          required
          placeholder="email"
          value={draft.email}
          onChange={(e) => setDraft({ ...draft, email: e.target.value })}
        />
        <input
          data-testid="user-name"
          required
          placeholder="name"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
        <input
          data-testid="user-password"
          type="password"
          required
          minLength={8}
          placeholder="first password"
          value={draft.password}
          onChange={(e) => setDraft({ ...draft, password: e.target.value })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={draft.isAdmin}
            onChange={(e) => setDraft({ ...draft, isAdmin: e.target.checked })}
          />
          admin
        </label>
        <button type="submit" data-testid="user-create" disabled={create.isPending}>
          Add person
        </button>
      </form>
      {(create.error || users.error) && (
        <p className="error">{errorText(create.error ?? users.error)}</p>
      )}
      <ul>
        {users.data?.map((u) => (
          <li key={u.id} data-testid="user-row">
            {u.name || u.email} <span className="muted">· {u.email}</span>
            {u.isAdmin && <span className="muted"> · admin</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
