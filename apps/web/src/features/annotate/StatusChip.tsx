import { useSyncExternalStore } from 'react'
import type { DocumentSession } from '../../sync/document-session.ts'
import { SAVE_STATUS_TEXT } from '../../sync/save-status.ts'

/** "saved" only once the server reports this client's edits durable; see the API contract. */
export function StatusChip({ session }: { session: DocumentSession }) {
  const state = useSyncExternalStore(session.subscribe, session.getState)
  return (
    <span className="status">
      <span
        className={`chip chip-${state.status}`}
        data-testid="status-chip"
        data-status={state.status}
      >
        {SAVE_STATUS_TEXT[state.status]}
      </span>
      {state.problem && (
        <span className="error" role="alert" data-testid="sync-problem">
          {state.problem}
        </span>
      )}
    </span>
  )
}
