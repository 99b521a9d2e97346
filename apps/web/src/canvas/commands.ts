import type { AnnotationEditor } from './editor.ts'
import type { Command } from './shortcuts.ts'

/** Runs a keyboard command on the editor; false for one it had no use for (nothing selected, say). */
export function runCommand(editor: AnnotationEditor, cmd: Command): boolean {
  switch (cmd.type) {
    case 'tool':
      editor.setTool(cmd.tool)
      return true
    case 'label':
      return editor.chooseHotkey(cmd.hotkey)
    case 'delete':
      return editor.deleteSelection()
    case 'undo':
      editor.undo()
      return true
    case 'redo':
      editor.redo()
      return true
    case 'escape':
      editor.escape()
      return true
    case 'finish':
      editor.finish()
      return true
    case 'nudge':
      return editor.nudge(cmd.dx, cmd.dy)
    case 'cycle':
      return editor.cycle(cmd.step)
    case 'fit':
      editor.fit()
      return true
    case 'hide':
      return editor.toggleHidden()
    case 'toggleRegions':
      editor.toggleRegionsVisible()
      return true
    case 'copy':
      return editor.copySelection()
    case 'paste':
      return editor.paste()
    case 'help':
      return false
  }
}
