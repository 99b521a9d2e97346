import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, errorText, type ApiToken } from '../../app/api.ts'

const TOKENS_KEY = ['tokens'] as const

/** API tokens for scripts: created here, shown once, listed by name afterwards. */
export function TokensSection() {
  const client = useQueryClient()
  const tokens = useQuery({
    queryKey: TOKENS_KEY,
    queryFn: async () => (await api<{ tokens: ApiToken[] }>('/api/tokens')).tokens,
  })
  const create = useMutation({
    mutationFn: (name: string) =>
      api<{ id: string; token: string }>('/api/tokens', { method: 'POST', json: { name } }),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS_KEY }),
  })
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/api/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: TOKENS_KEY }),
  })
  const [name, setName] = useState('')

  return (
    <section className="card" data-testid="tokens-section">
      <h2>API tokens</h2>
      <p className="muted">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>, or <code>?token=</code>{' '}
        on the sync socket.
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate(name, { onSuccess: () => setName('') })
        }}
      >
        <input
          data-testid="token-name"
          placeholder="What is it for?"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" data-testid="token-create" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.data && (
        <p className="notice" data-testid="token-once">
          Copy it now, it will not be shown again: <code>{create.data.token}</code>
        </p>
      )}
      {(create.error || tokens.error || remove.error) && (
        <p className="error">{errorText(create.error ?? tokens.error ?? remove.error)}</p>
      )}
      <ul>
        {tokens.data?.map((t) => (
          <li key={t.id} data-testid="token-row">
            {t.name || 'unnamed'}{' '}
            <span className="muted">· {new Date(t.createdAt).toLocaleString()}</span>{' '}
            <button onClick={() => remove.mutate(t.id)}>Revoke</button>
          </li>
        ))}
      </ul>
    </section>
  )
}
