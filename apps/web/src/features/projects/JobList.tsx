import { useEffect, useRef } from 'react'
import { errorText } from '../../app/api.ts'
import { JobOutcome } from './JobOutcome.tsx'
import {
  cancelErrorIsStale,
  isActive,
  takeNewImportSuccesses,
  useCancelJob,
  useJobs,
  useRefreshOnImport,
  type Job,
} from './jobs.ts'

/** Recent imports and exports: progress while they run, then their result or error. */
export function JobList({ projectId }: { projectId: string }) {
  const jobs = useJobs(projectId)
  const cancel = useCancelJob(projectId)
  const refresh = useRefreshOnImport(projectId)
  const seenDone = useRef(new Set<string>())
  const cancelled = jobs.data?.find((j) => j.id === cancel.variables)
  const stateAtCancelError = useRef<Job['state'] | undefined>(undefined)

  // An import that has just finished changed the assets and labels shown above.
  useEffect(() => {
    const initial = !jobs.isFetchedAfterMount
    if (takeNewImportSuccesses(jobs.data ?? [], seenDone.current, initial).length > 0) refresh()
  }, [jobs.data, jobs.isFetchedAfterMount, refresh])

  // A failed cancel says nothing more once its job has ended: the job's row tells how.
  useEffect(() => {
    if (!cancel.error) {
      stateAtCancelError.current = undefined
      return
    }
    stateAtCancelError.current ??= cancelled?.state
    if (cancelErrorIsStale(stateAtCancelError.current, cancelled)) cancel.reset()
  }, [cancel.error, cancel.reset, cancelled])

  if (jobs.error) return <p className="error">{errorText(jobs.error)}</p>
  if (!jobs.data || jobs.data.length === 0) return null
  return (
    <ul className="jobs" data-testid="job-list">
      {jobs.data.map((job) => (
        <li key={job.id} data-testid="job" data-state={job.state}>
          <div className="row">
            <strong>
              {job.kind} · {job.format}
            </strong>
            <span className={`job-state ${job.state}`}>{job.state}</span>
            <span className="spacer" />
            {isActive(job) && (
              <button
                type="button"
                data-testid="job-cancel"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate(job.id)}
              >
                Cancel
              </button>
            )}
            {job.result && (
              <a className="button" data-testid="job-download" href={job.result.url} download>
                Download {job.result.fileName}
              </a>
            )}
          </div>
          {isActive(job) && <JobProgress job={job} />}
          <JobOutcome job={job} />
        </li>
      ))}
      {cancel.error && <li className="error">{errorText(cancel.error)}</li>}
    </ul>
  )
}

function JobProgress({ job }: { job: Job }) {
  const { phase, done, total } = job.progress
  return (
    <div className="muted">
      <progress value={total > 0 ? done : undefined} max={total > 0 ? total : undefined} />{' '}
      {phase ?? 'waiting'} {total > 0 ? `${done} / ${total}` : ''}
    </div>
  )
}
