import type { BookingStatus } from '../../../shared/vocabulary';
import { formatRemaining, formatTime } from '../format';
import { useServerNow } from '../../lib/server-clock';

interface Props {
  status: BookingStatus;
  startTime: string;
  endTime: string;
}

/** BOOKED shows its live remaining time (from the server's clock); the others are final. */
export function StatusBadge({ status, startTime, endTime }: Props) {
  if (status === 'booked') return <BookedBadge startTime={startTime} endTime={endTime} />;
  return <span className={`badge badge-${status}`}>{status === 'completed' ? 'Completed' : 'Cancelled'}</span>;
}

function BookedBadge({ startTime, endTime }: { startTime: string; endTime: string }) {
  const now = useServerNow(1000);
  const start = Date.parse(startTime);
  if (start > now) {
    return (
      <span className="badge badge-upcoming" title="Advance booking, not started yet">
        Booked · starts {formatTime(start)}
      </span>
    );
  }
  const left = (Date.parse(endTime) - now) / 1000;
  return (
    <span className="badge badge-booked" title={`Ends ${formatTime(endTime)}`}>
      Booked · <span className="mono">{formatRemaining(left)}</span> left
    </span>
  );
}
