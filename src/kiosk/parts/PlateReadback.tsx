import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../../api/trpc';
import { differingPositions, groupedPlate, patternSuggestion } from '../../../shared/plate-lookalikes';
import { checkVehicleNumber } from '../../../shared/plates';
import { fill, useMessages } from '../../i18n';
import { useDialogEntry } from './layout';

/** A plate written large, the characters that differ from the other reading marked. */
export function BigPlate({ grouped, marks = [], size = 'large' }: { grouped: string; marks?: number[]; size?: 'large' | 'medium' }) {
  return (
    <span className={`big-plate ${size}`} aria-hidden="true">
      {[...grouped].map((char, index) =>
        char === ' ' ? (
          <span key={index} className="big-plate-gap" />
        ) : (
          <span key={index} className={marks.includes(index) ? 'big-plate-char marked' : 'big-plate-char'}>
            {char}
          </span>
        ),
      )}
    </span>
  );
}

/** Read out letter by letter ("K L 0 8 …"): a screen reader would say "KL" as a word. */
const spelled = (grouped: string) => grouped.replace(/ /g, ', ').split('').join(' ').replace(/ , /g, ', ');

interface Reading {
  plate: string;
  grouped: string;
  why: 'asTyped' | 'usual' | 'seenHere';
}

/**
 * "Is this your vehicle?": the typed plate read back large, grouped the way plates are written,
 * before anything is booked. When the plate differs from the usual pattern, or from a plate
 * seen here recently, only by look-alike characters (the shared rule in
 * electron/core/shared/plate-lookalikes.ts), both readings are offered to pick from.
 *
 * A sheet at the bottom of the screen: "Change" sits where the screen's "Next" was (a double
 * tap there only goes back to the keyboard) and "Yes" on the other side, away from where the
 * next screen's primary button appears.
 */
export function PlateReadback({
  value,
  lotId,
  onConfirm,
  onChange,
  pending,
}: {
  value: string;
  lotId: number;
  onConfirm(plate: string): void;
  onChange(): void;
  pending?: boolean;
}) {
  const { t } = useMessages();
  const trpc = useTRPC();
  useDialogEntry(true);
  const local = checkVehicleNumber(value);
  const typed = local.ok ? local.value : value;
  // The server adds what only it knows (plates seen here recently); the shared rule answers at once if it is out of reach.
  const check = useQuery(trpc.booking.plateCheck.queryOptions({ vehicleNumber: value, lotId }, { retry: false, staleTime: 30_000 }));
  const waiting = check.isPending;
  // Other readings appear once, with the server's answer (not one now and another a moment
  // later under the finger); the shared rule alone answers when the server cannot.
  const suggestion = waiting ? null : check.data ? check.data.patternSuggestion : local.ok ? patternSuggestion(typed) : null;
  const seen = check.data?.seenLookAlike ?? null;
  const readings: Reading[] = [{ plate: typed, grouped: groupedPlate(typed), why: 'asTyped' }];
  if (seen) readings.push({ plate: seen, grouped: groupedPlate(seen), why: 'seenHere' });
  if (suggestion && suggestion !== seen) readings.push({ plate: suggestion, grouped: groupedPlate(suggestion), why: 'usual' });
  const [picked, setPicked] = useState(typed);
  const chosen = readings.find((reading) => reading.plate === picked) ?? readings[0]!;
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!waiting) yes.current?.focus({ preventScroll: true });
  }, [waiting]);
  const other = (reading: Reading) => readings.find((candidate) => candidate.plate !== reading.plate)?.grouped ?? reading.grouped;

  return (
    <div className="modal-backdrop readback-backdrop">
      <div
        className="modal readback"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="readback-title"
        aria-describedby="readback-plate"
        data-testid="plate-readback"
      >
        <h2 id="readback-title">{t.readback.title}</h2>
        <p id="readback-plate" className="readback-plate" data-testid="readback-plate" data-plate={chosen.plate}>
          <BigPlate grouped={chosen.grouped} marks={readings.length > 1 ? differingPositions(chosen.grouped, other(chosen)) : []} />
          <span className="visually-hidden">{fill(t.readback.spoken, { plate: spelled(chosen.grouped) })}</span>
        </p>
        {readings.length > 1 ? (
          <div className="lookalike" role="group" aria-labelledby="lookalike-title" data-testid="lookalike-warning">
            <p id="lookalike-title" className="lookalike-title">
              {t.readback.lookAlikeTitle}
            </p>
            <p className="lookalike-body">{seen ? t.readback.lookAlikeSeen : t.readback.lookAlikePattern}</p>
            <div className="lookalike-options">
              {readings.map((reading) => (
                <button
                  key={reading.plate}
                  type="button"
                  className={`button option lookalike-option ${reading.plate === chosen.plate ? 'selected' : ''}`}
                  aria-pressed={reading.plate === chosen.plate}
                  data-plate={reading.plate}
                  onClick={() => setPicked(reading.plate)}
                >
                  <BigPlate grouped={reading.grouped} marks={differingPositions(reading.grouped, other(reading))} size="medium" />
                  <span className="visually-hidden">{spelled(reading.grouped)}</span>
                  <span className="button-hint">{t.readback[reading.why]}</span>
                </button>
              ))}
            </div>
          </div>
        ) : (
          <p className="readback-hint">{t.readback.hint}</p>
        )}
        <div className="modal-actions readback-actions">
          <button
            ref={yes}
            type="button"
            className="button primary"
            disabled={waiting || pending}
            onClick={() => onConfirm(chosen.plate)}
            data-testid="readback-yes"
          >
            {waiting ? t.readback.checking : t.readback.yes}
          </button>
          <button type="button" className="button secondary" onClick={onChange} data-testid="readback-change">
            {t.readback.change}
          </button>
        </div>
      </div>
    </div>
  );
}
