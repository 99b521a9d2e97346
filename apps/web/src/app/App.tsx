import { Route, Switch } from 'wouter'
import { AnnotatePage } from '../features/annotate/AnnotatePage.tsx'
import { SignInPage } from '../features/auth/SignInPage.tsx'
import { useMe } from '../features/auth/session.ts'
import { ProjectPage } from '../features/projects/ProjectPage.tsx'
import { ProjectsPage } from '../features/projects/ProjectsPage.tsx'
import { Header } from '../ui/Header.tsx'
import { errorText } from './api.ts'

/** Signs the visitor in first, then routes between the pages. */
export function App() {
  const me = useMe()
  if (me.isPending) return <p className="page muted">Loading…</p>
  if (me.isError) return <p className="page error">{errorText(me.error)}</p>
  if (!me.data) return <SignInPage />
  const user = me.data
  return (
    <div className="app">
      <Header user={user} />
      <Switch>
        <Route path="/">
          <ProjectsPage />
        </Route>
        <Route path="/projects/:projectId">{(p) => <ProjectPage projectId={p.projectId} />}</Route>
        <Route path="/assets/:assetId">
          {(p) => <AnnotatePage assetId={p.assetId} user={user} />}
        </Route>
        <Route>
          <p className="page">This page does not exist.</p>
        </Route>
      </Switch>
    </div>
  )
}
