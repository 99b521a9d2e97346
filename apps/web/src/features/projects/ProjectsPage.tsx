import { pickLabelColor } from '@concord/shared'
import { useState, type FormEvent } from 'react'
import { Link, useLocation } from 'wouter'
import { errorText, type LabelDraft } from '../../app/api.ts'
import { useMe } from '../auth/session.ts'
import { UsersSection } from '../users/UsersSection.tsx'
import { LabelFields } from './LabelFields.tsx'
import { useCreateProject, useProjects, useSampleProject } from './queries.ts'

/** The projects one belongs to, a form for a new one, and the sample project for a first look. */
export function ProjectsPage() {
  const projects = useProjects()
  const sample = useSampleProject()
  const me = useMe()
  const [, navigate] = useLocation()

  return (
    <main className="page">
      <div className="page-title">
        <h1>Projects</h1>
        <button
          data-testid="sample-project"
          onClick={() =>
            sample.mutate(undefined, { onSuccess: (p) => navigate(`/projects/${p.id}`) })
          }
          disabled={sample.isPending}
        >
          {sample.isPending ? 'Making the sample…' : 'Try the sample project'}
        </button>
      </div>
      {sample.error && <p className="error">{errorText(sample.error)}</p>}
      {projects.isPending && <p className="muted">Loading…</p>}
      {projects.error && <p className="error">{errorText(projects.error)}</p>}
      {projects.data?.length === 0 && (
        <p className="muted">No projects yet: create one or try the sample.</p>
      )}
      <ul className="project-list" data-testid="project-list">
        {projects.data?.map((p) => (
          <li key={p.id}>
            <Link href={`/projects/${p.id}`}>{p.name}</Link>
            <span className="muted">
              {' '}
              · {p.role} · {p.labels.length} labels
            </span>
          </li>
        ))}
      </ul>
      <CreateProjectForm onCreated={(id) => navigate(`/projects/${id}`)} />
      {me.data?.isAdmin && <UsersSection />}
    </main>
  )
}

function CreateProjectForm({ onCreated }: { onCreated: (id: string) => void }) {
  const create = useCreateProject()
  const [name, setName] = useState('')
  const [labels, setLabels] = useState<LabelDraft[]>([
    { name: '', color: pickLabelColor(0), hotkey: 1, kinds: [] },
  ])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const named = labels.filter((l) => l.name.trim() !== '')
    create.mutate({ name, labels: named }, { onSuccess: (p) => onCreated(p.id) })
  }

  const addRow = () =>
    setLabels((ls) => [
      ...ls,
      {
        name: '',
        color: pickLabelColor(ls.length),
        hotkey: ls.length < 9 ? ls.length + 1 : null,
        kinds: [],
      },
    ])

  return (
    <form className="card" onSubmit={submit} data-testid="create-project">
      <h2>New project</h2>
      <label>
        Name
        <input
          data-testid="project-name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <h3>Labels</h3>
      {labels.map((label, i) => (
        <LabelFields
          key={i}
          value={label}
          testId={`new-label-${i}`}
          onChange={(next) => setLabels((ls) => ls.map((l, j) => (j === i ? next : l)))}
        />
      ))}
      <div className="row">
        <button type="button" onClick={addRow}>
          Add a label
        </button>
        <button
          type="submit"
          className="primary"
          data-testid="create-project-submit"
          disabled={create.isPending}
        >
          Create project
        </button>
      </div>
      {create.error && <p className="error">{errorText(create.error)}</p>}
    </form>
  )
}
