import type { Label } from '@concord/shared'
import { effectiveHotkey } from '../../canvas/region-edits.ts'

/** The project's labels with their hotkeys; a click does what the digit key does. */
export function LabelPalette({
  labels,
  activeLabelId,
  onPick,
}: {
  labels: Label[]
  activeLabelId: string | null
  onPick: (labelId: string) => void
}) {
  return (
    <section className="palette" aria-label="Labels">
      <h2>Labels</h2>
      {labels.length === 0 && <p className="muted">This project has no labels yet.</p>}
      <ul>
        {labels.map((label, i) => {
          const key = effectiveHotkey(labels, i)
          return (
            <li key={label.id}>
              <button
                data-testid="label-option"
                data-label-name={label.name}
                aria-pressed={label.id === activeLabelId}
                className={label.id === activeLabelId ? 'active' : ''}
                onClick={() => onPick(label.id)}
              >
                <span className="swatch" style={{ background: label.color }} />
                {label.name}
                {key !== null && <kbd>{key}</kbd>}
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
