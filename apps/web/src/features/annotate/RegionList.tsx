import type { Label } from '@concord/shared'
import { useMemo } from 'react'
import type { AnnotationEditor, EditorSnapshot } from '../../canvas/editor.ts'

/** Long lists are cut here: thousands of rows would cost more than the canvas itself. */
const MAX_ROWS = 200

/** The regions of the asset beside the canvas; a click selects a region and centres it. */
export function RegionList({
  editor,
  snapshot,
  labels,
}: {
  editor: AnnotationEditor
  snapshot: EditorSnapshot
  labels: Label[]
}) {
  const byId = useMemo(() => new Map(labels.map((l) => [l.id, l])), [labels])
  const rows = useMemo(() => {
    const ids = editor.store.sortedIds()
    const shown = ids.slice(0, MAX_ROWS)
    // A selected region past the cut still gets a row, so Tab and clicks stay visible.
    for (const id of snapshot.selection)
      if (!shown.includes(id) && editor.store.regions.has(id)) shown.push(id)
    return {
      total: ids.length,
      regions: shown.map((id) => editor.store.regions.get(id)).filter((r) => !!r),
    }
    // regionsVersion is the signal that the store changed.
  }, [editor, snapshot.regionsVersion, snapshot.selection])

  return (
    <section className="region-list" aria-label="Regions">
      <h2>
        Regions{' '}
        <span className="muted" data-testid="region-count">
          {rows.total}
        </span>
      </h2>
      {rows.total === 0 && <p className="muted">No regions yet. Pick a tool and draw.</p>}
      <ul data-testid="region-list">
        {rows.regions.map((r, i) => {
          const label = byId.get(r.labelId)
          const selected = snapshot.selection.includes(r.id)
          return (
            <li key={r.id}>
              <button
                data-testid="region-item"
                data-region-id={r.id}
                data-label-name={label?.name ?? ''}
                aria-pressed={selected}
                className={selected ? 'active' : ''}
                onClick={() => editor.focusRegion(r.id)}
              >
                <span className="swatch" style={{ background: label?.color ?? '#9e9e9e' }} />
                <span className="region-label">{label?.name ?? 'unknown label'}</span>
                <span className="muted">
                  {r.kind} #{i + 1}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
      {rows.total > rows.regions.length && (
        <p className="muted">
          Showing {rows.regions.length} of {rows.total}; Tab steps through all of them.
        </p>
      )}
    </section>
  )
}
