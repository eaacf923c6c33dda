interface Props {
  page: number;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  summary?: string;
}

/** Keyset pagination: forward by cursor, back through the cursors already visited. */
export function Pager({ page, hasNext, onPrevious, onNext, summary }: Props) {
  return (
    <div className="pager">
      {summary && <span className="muted">{summary}</span>}
      <button type="button" onClick={onPrevious} disabled={page <= 1}>
        ‹ Previous
      </button>
      <span className="pager-page">Page {page}</span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next ›
      </button>
    </div>
  );
}
