import { useState, type ReactNode } from 'react'
import { firstOf } from './count.ts'

/** How many items a long list shows before "and N more": a screenful without scrolling. */
const SHOWN_ITEMS = 10

/** A list that shows its first items and, past that, "and N more", which opens the rest. */
export function CollapsedList<T>(props: {
  items: readonly T[]
  render: (item: T) => ReactNode
  className?: string
  testId?: string
}) {
  const [open, setOpen] = useState(false)
  const { shown, more } = open ? { shown: props.items, more: 0 } : firstOf(props.items, SHOWN_ITEMS)
  return (
    <ul className={props.className} data-testid={props.testId}>
      {shown.map((item, i) => (
        <li key={i}>{props.render(item)}</li>
      ))}
      {more > 0 && (
        <li>
          <button type="button" className="more" onClick={() => setOpen(true)}>
            and {more} more
          </button>
        </li>
      )}
    </ul>
  )
}
