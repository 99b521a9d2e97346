/**
 * Transaction origin of every edit this browser makes. The undo manager tracks only this
 * origin, so Ctrl+Z undoes one's own edits and never a colleague's (theirs arrive with the
 * provider as origin).
 */
export const LOCAL_ORIGIN = { name: 'concord-local-edit' } as const
