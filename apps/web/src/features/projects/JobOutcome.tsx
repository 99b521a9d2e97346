import { CollapsedList } from '../../ui/CollapsedList.tsx'
import { countOf } from '../../ui/count.ts'
import { warningsOf, warningText, type Job } from './jobs.ts'

/**
 * What a finished job came to: its error, or what an import brought in, what an export's format
 * could not carry, and the warnings of either.
 */
export function JobOutcome({ job }: { job: Job }) {
  if (job.error) return <p className="error">{job.error.message}</p>
  const imported = job.summary?.imported
  const warnings = warningsOf(job)
  const lossiness = job.summary?.report?.lossiness ?? []
  return (
    <>
      {imported && (
        <p data-testid="import-result">
          Imported {countOf(imported.images, 'image')}, {countOf(imported.regions, 'region')},{' '}
          {countOf(imported.labels, 'new label')}.
        </p>
      )}
      {lossiness.length > 0 && (
        <CollapsedList
          className="warnings"
          testId="job-lossiness"
          items={lossiness}
          render={(l) => `${l.count} × ${l.kind}: ${l.reason}`}
        />
      )}
      {warnings.length > 0 && (
        <details data-testid="job-warnings">
          <summary>{countOf(warnings.length, 'warning')}</summary>
          <CollapsedList className="warnings" items={warnings} render={warningText} />
        </details>
      )}
    </>
  )
}
