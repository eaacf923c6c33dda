import { fill, type Messages } from '../../i18n';

/** "45 min", "2 h", "1 h 30 min" in the kiosk's language. */
export function durationText(minutes: number, t: Messages): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return fill(t.confirm.minutes, { minutes: rest });
  if (rest === 0) return fill(t.confirm.hours, { hours });
  return fill(t.confirm.hoursMinutes, { hours, minutes: rest });
}
