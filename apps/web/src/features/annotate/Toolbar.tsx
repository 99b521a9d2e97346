import { useSyncExternalStore } from 'react'
import type { AnnotationEditor } from '../../canvas/editor.ts'
import { TOOL_KEYS } from '../../canvas/shortcuts.ts'
import { TOOL_NAMES, type ToolName } from '../../canvas/tools/types.ts'

const TOOL_TITLES: Record<ToolName, string> = {
  select: 'Select',
  box: 'Box',
  polygon: 'Polygon',
  point: 'Point',
}

/** Tool buttons plus undo, redo, fit and the shortcut list. */
export function Toolbar({ editor, onHelp }: { editor: AnnotationEditor; onHelp: () => void }) {
  const { tool } = useSyncExternalStore(editor.subscribe, editor.getSnapshot)
  return (
    <div className="toolbar" role="toolbar" aria-label="Tools">
      {TOOL_NAMES.map((name) => (
        <button
          key={name}
          data-testid={`tool-${name}`}
          aria-pressed={tool === name}
          className={tool === name ? 'active' : ''}
          title={`${TOOL_TITLES[name]} (${TOOL_KEYS[name].toUpperCase()})`}
          onClick={() => editor.setTool(name)}
        >
          {TOOL_TITLES[name]}
        </button>
      ))}
      <span className="divider" />
      <button data-testid="undo" title="Undo (Ctrl+Z)" onClick={() => editor.undo()}>
        Undo
      </button>
      <button data-testid="redo" title="Redo (Ctrl+Shift+Z)" onClick={() => editor.redo()}>
        Redo
      </button>
      <button data-testid="fit" title="Fit to screen (F)" onClick={() => editor.fit()}>
        Fit
      </button>
      <button data-testid="shortcuts" title="Keyboard shortcuts (?)" onClick={onHelp}>
        ?
      </button>
    </div>
  )
}
