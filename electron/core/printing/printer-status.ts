/**
 * ESC/POS real-time status (DLE EOT n). A printer answers these as they arrive, even with a
 * full buffer or no paper, so they tell "out of paper" or "cover open" before anything is
 * sent, and "not answering" when nothing comes back.
 *
 * Each answer byte has bits 1 and 4 set and bits 0 and 7 clear (Epson ESC/POS reference).
 */
export const DLE_EOT_OFFLINE_CAUSE = Uint8Array.of(0x10, 0x04, 0x02);
export const DLE_EOT_PAPER_SENSOR = Uint8Array.of(0x10, 0x04, 0x04);
/** Both queries in one write; the answers come back in the same order. */
export const STATUS_QUERY = Uint8Array.of(...DLE_EOT_OFFLINE_CAUSE, ...DLE_EOT_PAPER_SENSOR);
export const STATUS_ANSWER_BYTES = 2;

export interface PrinterStatus {
  coverOpen: boolean;
  paperOut: boolean;
  paperLow: boolean;
  /** An unrecoverable or auto-recoverable error (cutter jam, head too hot). */
  error: boolean;
}

export const isStatusByte = (b: number): boolean => (b & 0b1001_0011) === 0b0001_0010;

/** The two answer bytes, or null when they are not status answers at all. */
export function parseStatus(offlineCause: number, paperSensor: number): PrinterStatus | null {
  if (!isStatusByte(offlineCause) || !isStatusByte(paperSensor)) return null;
  return {
    coverOpen: (offlineCause & 0x04) !== 0,
    paperOut: (offlineCause & 0x20) !== 0 || (paperSensor & 0x60) !== 0,
    paperLow: (paperSensor & 0x0c) !== 0,
    error: (offlineCause & 0x40) !== 0,
  };
}

/** What a fake or real printer answers for a given state: used by the fake printer in tests. */
export function statusAnswer(n: number, state: Partial<PrinterStatus>): number {
  let b = 0x12;
  if (n === 2) {
    if (state.coverOpen) b |= 0x04;
    if (state.paperOut) b |= 0x20;
    if (state.error) b |= 0x40;
  } else if (n === 4) {
    if (state.paperLow) b |= 0x0c;
    if (state.paperOut) b |= 0x60;
  }
  return b;
}
