import { readRegions } from '@concord/shared'
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { Link } from 'wouter'
import { errorText, type Asset, type Project, type User } from '../../app/api.ts'
import { AnnotationEditor } from '../../canvas/editor.ts'
import { bindInput } from '../../canvas/input.ts'
import { DocumentSession } from '../../sync/document-session.ts'
import { colourForUser } from '../../sync/user-colour.ts'
import { useAsset, useProject } from '../projects/queries.ts'
import { EditorNotice } from './EditorNotice.tsx'
import { LabelPalette } from './LabelPalette.tsx'
import { RegionList } from './RegionList.tsx'
import { ShortcutsDialog } from './ShortcutsDialog.tsx'
import { StatusChip } from './StatusChip.tsx'
import { Toolbar } from './Toolbar.tsx'

declare global {
  interface Window {
    /** Hooks for browser tests and the canvas benchmark; nothing in the app reads them. */
    __concord?: {
      editor: AnnotationEditor
      session: DocumentSession
      readRegions: () => ReturnType<typeof readRegions>
    }
  }
}

/**
 * How often an open annotation page asks for the project again, so a lead's label renames and
 * recolours show up without a reload; the page also asks whenever the window regains focus.
 */
const LABELS_REFRESH_MS = 10_000

/** `/assets/:assetId`: the canvas on the consensus document, with tools and lists beside it. */
export function AnnotatePage({ assetId, user }: { assetId: string; user: User }) {
  const asset = useAsset(assetId)
  const project = useProject(asset.data?.projectId, { refetchInterval: LABELS_REFRESH_MS })
  if (asset.isPending) return <p className="page muted">Loading…</p>
  if (asset.error) return <p className="page error">{errorText(asset.error)}</p>
  if (project.error) return <p className="page error">{errorText(project.error)}</p>
  if (!project.data) return <p className="page muted">Loading…</p>
  return <Workspace key={asset.data.id} asset={asset.data} project={project.data} user={user} />
}

function Workspace({ asset, project, user }: { asset: Asset; project: Project; user: User }) {
  const host = useRef<HTMLDivElement>(null)
  const [open, setOpen] = useState<{ editor: AnnotationEditor; session: DocumentSession } | null>(
    null,
  )
  const [helpOpen, setHelpOpen] = useState(false)
  const [mountError, setMountError] = useState<string | null>(null)

  useEffect(() => {
    const el = host.current
    if (!el) return
    const session = new DocumentSession(asset.document, user.id)
    const editor = new AnnotationEditor(
      session,
      { id: user.id, name: user.name || user.email, color: colourForUser(user.id) },
      { width: asset.width, height: asset.height },
    )
    editor.setLabels(project.labels)
    const unbind = bindInput(el, editor, () => setHelpOpen(true))
    window.__concord = { editor, session, readRegions: () => readRegions(session.doc) }
    editor.mount(el, asset.imageUrl).catch((e: unknown) => setMountError(errorText(e)))
    setOpen({ editor, session })
    return () => {
      unbind()
      editor.destroy()
      session.destroy()
      if (window.__concord?.editor === editor) delete window.__concord
    }
    // Labels are pushed by the effect below; re-creating the session for them would drop presence.
  }, [asset.document, asset.imageUrl, asset.width, asset.height, user.id])

  useEffect(() => open?.editor.setLabels(project.labels), [open, project.labels])

  useEffect(() => {
    if (!open) return
    // Edits are kept in the browser too, but leaving before the server has them is still worth a
    // word: another device will not see them until this one opens the asset again.
    const warn = (event: BeforeUnloadEvent) => {
      if (open.session.getState().status === 'saved') return
      event.preventDefault()
      event.returnValue = ''
    }
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [open])

  return (
    <main className="annotate">
      <div className="annotate-bar">
        <Link
          href={`/projects/${project.id}`}
          className="bar-name project-link"
          title={project.name}
          data-testid="project-link"
        >
          ← {project.name}
        </Link>
        <span className="bar-name asset-name" data-testid="asset-name" title={asset.fileName}>
          {asset.fileName}
        </span>
        {open && <Toolbar editor={open.editor} onHelp={() => setHelpOpen(true)} />}
        <span className="spacer" />
        {open && <StatusChip session={open.session} />}
      </div>
      <div className="annotate-body">
        <div className="canvas-host" ref={host} tabIndex={0} data-testid="canvas-container">
          {mountError && (
            <p className="error canvas-error">The canvas could not start: {mountError}</p>
          )}
          {open && <EditorNotice editor={open.editor} />}
        </div>
        {open && <SidePanel editor={open.editor} project={project} />}
      </div>
      <ShortcutsDialog open={helpOpen} onOpenChange={setHelpOpen} />
    </main>
  )
}

function SidePanel({ editor, project }: { editor: AnnotationEditor; project: Project }) {
  const snapshot = useSyncExternalStore(editor.subscribe, editor.getSnapshot)
  return (
    <aside className="side-panel">
      <LabelPalette
        labels={project.labels}
        activeLabelId={snapshot.activeLabelId}
        onPick={(id) => editor.chooseLabel(id)}
      />
      <RegionList editor={editor} snapshot={snapshot} labels={project.labels} />
    </aside>
  )
}
