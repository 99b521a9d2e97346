import { useEffect, useState, useSyncExternalStore } from 'react'
import type { AnnotationEditor } from '../../canvas/editor.ts'

/** Long enough to read a sentence, short enough not to linger over the canvas. */
const NOTICE_MS = 4000

/** The editor's last refusal, shown briefly over the canvas. */
export function EditorNotice({ editor }: { editor: AnnotationEditor }) {
  const { notice } = useSyncExternalStore(editor.subscribe, editor.getSnapshot)
  const [hiddenId, setHiddenId] = useState<number | null>(null)

  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => setHiddenId(notice.id), NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice])

  if (!notice || notice.id === hiddenId) return null
  return (
    <p className="editor-notice" role="status" data-testid="editor-notice">
      {notice.text}
    </p>
  )
}
