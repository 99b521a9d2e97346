import { Link } from 'wouter'
import { errorText } from '../../app/api.ts'
import { TokensSection } from '../tokens/TokensSection.tsx'
import { AssetGrid } from './AssetGrid.tsx'
import { InterchangeSection } from './InterchangeSection.tsx'
import { LabelsSection } from './LabelsSection.tsx'
import { MembersSection } from './MembersSection.tsx'
import { can } from './permissions.ts'
import { useProject } from './queries.ts'
import { UploadSection } from './UploadSection.tsx'

/** A project: its assets first, then the schema, people, data in and out, tokens. */
export function ProjectPage({ projectId }: { projectId: string }) {
  const project = useProject(projectId)
  if (project.isPending) return <p className="page muted">Loading…</p>
  if (project.error) return <p className="page error">{errorText(project.error)}</p>
  const p = project.data
  return (
    <main className="page">
      <div className="page-title">
        <h1 data-testid="project-title" title={p.name}>
          {p.name}
        </h1>
        <span className="muted">your role: {p.role}</span>
        <span className="spacer" />
        <Link href="/">All projects</Link>
      </div>
      {can(p.role, 'upload') && <UploadSection projectId={p.id} />}
      <AssetGrid projectId={p.id} />
      <div className="columns">
        <LabelsSection project={p} canEdit={can(p.role, 'editLabels')} />
        <MembersSection projectId={p.id} canAdd={can(p.role, 'addMembers')} />
      </div>
      <div className="columns">
        {/* Jobs are listed to those who may start them; an annotator has none to see. */}
        {can(p.role, 'export') && (
          <InterchangeSection
            projectId={p.id}
            canImport={can(p.role, 'import')}
            canExport={can(p.role, 'export')}
          />
        )}
        <TokensSection />
      </div>
    </main>
  )
}
