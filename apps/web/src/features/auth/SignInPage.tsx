import { useState, type FormEvent } from 'react'
import { ApiError, errorText } from '../../app/api.ts'
import { useSignIn } from './session.ts'

/** Email and password; the server sets the session cookie. */
export function SignInPage() {
  const signIn = useSignIn()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    signIn.mutate({ email, password })
  }

  const error = signIn.error
  const message =
    error instanceof ApiError && error.status === 401
      ? 'Wrong email or password.'
      : error
        ? errorText(error)
        : null

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit}>
        <h1>Concord</h1>
        <p className="muted">Sign in to label together.</p>
        <label>
          Email
          <input
            data-testid="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {message && (
          <p className="error" role="alert" data-testid="login-error">
            {message}
          </p>
        )}
        <button
          data-testid="login-submit"
          type="submit"
          className="primary"
          disabled={signIn.isPending}
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
