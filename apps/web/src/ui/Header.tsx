import { Link } from 'wouter'
import type { User } from '../app/api.ts'
import { useSignOut } from '../features/auth/session.ts'

/** The bar on every signed-in page: home link, who is signed in, sign out. */
export function Header({ user }: { user: User }) {
  const signOut = useSignOut()
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        Concord
      </Link>
      <span className="spacer" />
      <span className="user" data-testid="current-user">
        {user.name || user.email}
      </span>
      <button data-testid="sign-out" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        Sign out
      </button>
    </header>
  )
}
