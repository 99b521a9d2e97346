import type { ToolName } from './tools/types.ts'

/** Everything the keyboard can ask of the annotation editor. */
export type Command =
  | { type: 'tool'; tool: ToolName }
  | { type: 'label'; hotkey: number }
  | { type: 'delete' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'escape' }
  | { type: 'finish' }
  | { type: 'nudge'; dx: number; dy: number }
  | { type: 'cycle'; step: 1 | -1 }
  | { type: 'fit' }
  | { type: 'help' }
  | { type: 'hide' }
  | { type: 'toggleRegions' }
  | { type: 'copy' }
  | { type: 'paste' }

/** The parts of a KeyboardEvent the keymap reads, so it runs without a DOM. */
export type KeyInput = { key: string; ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }

/** Tool keys, one letter each. */
export const TOOL_KEYS: Record<ToolName, string> = {
  select: 'v',
  box: 'b',
  polygon: 'p',
  point: 'd',
}

/** Arrow-key nudge: one pixel, ten with Shift (the habit other labelling tools taught). */
const NUDGE = 1
const NUDGE_FAST = 10

/** Maps a key press to a command; null for keys the editor leaves alone. */
export function resolveShortcut(e: KeyInput): Command | null {
  const mod = e.ctrl || e.meta
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
  if (mod) {
    if (key === 'z') return e.shift ? { type: 'redo' } : { type: 'undo' }
    if (key === 'y') return { type: 'redo' }
    if (key === 'c') return { type: 'copy' }
    if (key === 'v') return { type: 'paste' }
    return null
  }
  if (e.alt) return null
  if (/^[1-9]$/.test(key)) return { type: 'label', hotkey: Number(key) }
  switch (key) {
    case 'Delete':
    case 'Backspace':
      return { type: 'delete' }
    case 'Escape':
      return { type: 'escape' }
    case 'Enter':
      return { type: 'finish' }
    case 'Tab':
      return { type: 'cycle', step: e.shift ? -1 : 1 }
    case 'ArrowLeft':
      return { type: 'nudge', dx: -(e.shift ? NUDGE_FAST : NUDGE), dy: 0 }
    case 'ArrowRight':
      return { type: 'nudge', dx: e.shift ? NUDGE_FAST : NUDGE, dy: 0 }
    case 'ArrowUp':
      return { type: 'nudge', dx: 0, dy: -(e.shift ? NUDGE_FAST : NUDGE) }
    case 'ArrowDown':
      return { type: 'nudge', dx: 0, dy: e.shift ? NUDGE_FAST : NUDGE }
    case '?':
      return { type: 'help' }
    case 'f':
      return { type: 'fit' }
    case 'h':
      return e.shift ? { type: 'toggleRegions' } : { type: 'hide' }
  }
  for (const [tool, toolKey] of Object.entries(TOOL_KEYS)) {
    if (key === toolKey) return { type: 'tool', tool: tool as ToolName }
  }
  return null
}

/** The list the `?` overlay shows; kept beside the keymap so the two cannot drift apart. */
export const SHORTCUT_HELP: readonly { keys: string; action: string }[] = [
  {
    keys: '1 – 9',
    action: 'Pick a label (relabels the selection, or sets the label for the next shape)',
  },
  {
    keys: `${TOOL_KEYS.select.toUpperCase()}`,
    action: 'Select tool: click to select, drag to move or resize',
  },
  { keys: `${TOOL_KEYS.box.toUpperCase()}`, action: 'Box tool: drag from corner to corner' },
  {
    keys: `${TOOL_KEYS.polygon.toUpperCase()}`,
    action: 'Polygon tool: click vertices, click the first one or press Enter to close',
  },
  { keys: `${TOOL_KEYS.point.toUpperCase()}`, action: 'Point tool: click to place' },
  { keys: 'Delete / Backspace', action: 'Delete the selected regions' },
  { keys: 'Ctrl+Z', action: 'Undo your last edit (never a colleague’s)' },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', action: 'Redo' },
  { keys: 'Escape', action: 'Cancel the shape being drawn, then clear the selection' },
  { keys: 'Enter', action: 'Close the polygon being drawn' },
  { keys: 'Arrow keys', action: 'Nudge the selection by 1 px (Shift: 10 px)' },
  { keys: 'Tab / Shift+Tab', action: 'Select the next / previous region' },
  { keys: 'Ctrl+C / Ctrl+V', action: 'Copy the selection / paste it (also onto another asset)' },
  { keys: 'H', action: 'Hide or show the selected regions' },
  { keys: 'Shift+H', action: 'Hide or show all regions, to see the bare image' },
  { keys: 'Wheel', action: 'Zoom at the cursor' },
  { keys: 'Space + drag, middle button drag', action: 'Pan' },
  { keys: 'F', action: 'Fit the image to the screen' },
  { keys: 'Alt+click a vertex', action: 'Delete that polygon vertex' },
  { keys: 'Click an edge midpoint', action: 'Insert a polygon vertex there' },
  { keys: '?', action: 'Show this list' },
]
