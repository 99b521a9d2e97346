import { REGION_KINDS, type RegionKind } from '@concord/shared'
import type { LabelDraft } from '../../app/api.ts'

/** The shape kinds the canvas can draw today; the others arrive through import. */
export const DRAWABLE_KINDS: readonly RegionKind[] = ['bbox', 'polygon', 'point']

/** One editable row of a label schema: name, colour, hotkey, allowed kinds. */
export function LabelFields({
  value,
  onChange,
  testId,
}: {
  value: LabelDraft
  onChange: (next: LabelDraft) => void
  testId?: string
}) {
  const kinds = value.kinds ?? []
  const toggleKind = (kind: RegionKind) =>
    onChange({
      ...value,
      kinds: kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind],
    })
  return (
    <div className="label-fields" data-testid={testId}>
      <input
        aria-label="Label name"
        placeholder="Label name"
        value={value.name}
        onChange={(e) => onChange({ ...value, name: e.target.value })}
      />
      <input
        aria-label="Colour"
        type="color"
        value={value.color ?? '#e6194b'}
        onChange={(e) => onChange({ ...value, color: e.target.value })}
      />
      <select
        aria-label="Hotkey"
        value={value.hotkey ?? ''}
        onChange={(e) =>
          onChange({ ...value, hotkey: e.target.value ? Number(e.target.value) : null })
        }
      >
        <option value="">no key</option>
        {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <span className="kinds" title="Shape kinds this label allows (none ticked: all)">
        {REGION_KINDS.filter((k) => DRAWABLE_KINDS.includes(k) || kinds.includes(k)).map((kind) => (
          <label key={kind} className="kind">
            <input
              type="checkbox"
              checked={kinds.includes(kind)}
              onChange={() => toggleKind(kind)}
            />
            {kind}
          </label>
        ))}
      </span>
    </div>
  )
}
