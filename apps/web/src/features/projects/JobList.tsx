import { useEffect, useRef } from 'react'
import { errorText } from '../../app/api.ts'
import { isActive, useCancelJob, useJobs, useRefreshOnImport, type Job } from './jobs.ts'

/** Recent imports and exports: progress while they run, then their result or error. */
export function JobList({ projectId }: { projectId: string }) {
  const jobs = useJobs(projectId)
  const cancel = useCancelJob(projectId)
  const refresh = useRefreshOnImport(projectId)
  const seenDone = useRef(new Set<string>())

  // An import that has just finished changed the assets and labels shown above.
  useEffect(() => {
    for (const job of jobs.data ?? []) {
      if (job.kind !== 'import' || job.state !== 'succeeded') continue
      if (seenDone.current.has(job.id)) continue
      const first = seenDone.current.size === 0 && !jobs.isFetchedAfterMount
      seenDone.current.add(job.id)
      if (!first) refresh()
    }
  }, [jobs.data, jobs.isFetchedAfterMount, refresh])

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

function JobOutcome({ job }: { job: Job }) {
  if (job.error) return <p className="error">{job.error.message}</p>
  const imported = job.summary?.imported
  const warnings = job.summary?.warnings ?? []
  const lossiness = job.summary?.report?.lossiness ?? []
  return (
    <>
      {imported && (
        <p data-testid="import-result">
          Imported {imported.images} images, {imported.regions} regions, {imported.labels} new
          labels.
        </p>
      )}
      {lossiness.length > 0 && (
        <ul className="warnings">
          {lossiness.map((l, i) => (
            <li key={i}>
              {l.count} × {l.kind}: {l.reason}
            </li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && (
        <details>
          <summary>{warnings.length} warnings</summary>
          <ul className="warnings">
            {warnings.map((w, i) => (
              <li key={i}>
                {w.file ? `${w.file}: ` : ''}
                {w.message}
                {w.count && w.count > 1 ? ` (${w.count})` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  )
}
