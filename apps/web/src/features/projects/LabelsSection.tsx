import { pickLabelColor, type Label } from '@concord/shared'
import { useEffect, useState } from 'react'
import { errorText, type LabelDraft, type Project } from '../../app/api.ts'
import { LabelFields } from './LabelFields.tsx'
import { useAddLabel, useUpdateLabel } from './queries.ts'

/** The label schema: leads rename and recolour in place (regions keep their labelId) and add. */
export function LabelsSection({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const add = useAddLabel(project.id)
  const update = useUpdateLabel(project.id)
  const fresh = (): LabelDraft => ({
    name: '',
    color: pickLabelColor(project.labels.length),
    hotkey: null,
    kinds: [],
  })
  const [draft, setDraft] = useState<LabelDraft>(fresh)

  return (
    <section className="card" data-testid="labels-section">
      <h2>Labels</h2>
      <ul className="label-list">
        {project.labels.map((label) => (
          <li key={label.id} data-testid="label-row">
            {canEdit ? (
              <LabelEditor
                label={label}
                onSave={(patch, onRefused) =>
                  update.mutate({ id: label.id, ...patch }, { onError: onRefused })
                }
              />
            ) : (
              <span>
                <span className="swatch" style={{ background: label.color }} /> {label.name}
                {label.hotkey !== null && <kbd>{label.hotkey}</kbd>}
              </span>
            )}
          </li>
        ))}
      </ul>
      {update.error && (
        <p className="error" data-testid="label-error">
          {errorText(update.error)}
        </p>
      )}
      {canEdit && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            add.mutate(draft, { onSuccess: () => setDraft(fresh()) })
          }}
        >
          <LabelFields value={draft} onChange={setDraft} testId="add-label" />
          <button type="submit" disabled={!draft.name.trim() || add.isPending}>
            Add label
          </button>
          {add.error && <p className="error">{errorText(add.error)}</p>}
        </form>
      )}
    </section>
  )
}

/**
 * Saves a rename when the field loses focus and a recolour or hotkey at once. A refused rename
 * (the name is taken) puts the saved name back; the section shows the server's reason.
 */
function LabelEditor({
  label,
  onSave,
}: {
  label: Label
  onSave: (patch: Partial<LabelDraft>, onRefused: () => void) => void
}) {
  const [name, setName] = useState(label.name)
  // The saved name can change under the field: a rename that went through, or a colleague's.
  useEffect(() => setName(label.name), [label.name])
  const resetName = () => setName(label.name)
  return (
    <span className="label-editor">
      <input
        type="color"
        aria-label={`Colour of ${label.name}`}
        value={label.color}
        onChange={(e) => onSave({ color: e.target.value }, () => {})}
      />
      <input
        aria-label={`Name of ${label.name}`}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => {
          const wanted = name.trim()
          if (!wanted) resetName()
          else if (wanted !== label.name) onSave({ name: wanted }, resetName)
        }}
        onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
      />
      <select
        aria-label={`Hotkey of ${label.name}`}
        value={label.hotkey ?? ''}
        onChange={(e) =>
          onSave({ hotkey: e.target.value ? Number(e.target.value) : null }, () => {})
        }
      >
        <option value="">no key</option>
        {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <span className="muted">
        {label.kinds.length === 0 ? 'all kinds' : label.kinds.join(', ')}
      </span>
    </span>
  )
}
