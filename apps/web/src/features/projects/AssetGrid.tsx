import { Link } from 'wouter'
import { errorText } from '../../app/api.ts'
import { listState } from '../../ui/list-state.ts'
import { useAssets } from './queries.ts'

/** Thumbnails of a project's assets with their region counts; a click opens the canvas. */
export function AssetGrid({ projectId }: { projectId: string }) {
  const assets = useAssets(projectId)
  const state = listState(assets)
  if (state === 'loading') {
    return (
      <p className="muted" data-testid="assets-loading">
        Loading assets…
      </p>
    )
  }
  if (state === 'error') return <p className="error">{errorText(assets.error)}</p>
  const list = assets.data ?? []
  if (state === 'empty') {
    return (
      <p className="muted" data-testid="assets-empty">
        No assets yet: upload images above.
      </p>
    )
  }
  return (
    <section>
      <h2>Assets ({list.length})</h2>
      <ul className="asset-grid" data-testid="asset-grid">
        {list.map((a) => (
          <li key={a.id} data-testid="asset-tile">
            <Link href={`/assets/${a.id}`} title={a.fileName}>
              <img src={a.thumbnailUrl} alt={a.fileName} loading="lazy" />
              <span className="asset-name">{a.fileName}</span>
              <span className="badge" data-testid="asset-region-count">
                {a.regionCount} {a.regionCount === 1 ? 'region' : 'regions'}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  )
}
