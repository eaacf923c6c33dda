import { useConnection } from '../../api/connection';
import { fill, languages, catalogs, useMessages } from '../../i18n';
import { VEHICLE_DISPLAY_ORDER } from '../../lib/vehicles';
import { flowStep } from '../../stores/kioskFlow';
import { useKioskLanguage } from '../../stores/kioskLanguage';
import { useLiveSlots } from '../data';
import type { Lot } from '../../lib/api-types';
import { useScreenEntry } from '../parts/layout';
import { VehicleIcon } from '../parts/VehicleIcon';
import { spokenHome } from '../a11y/spokenText';
import { useSpoken } from '../a11y/useSpoken';
import { canBookHere, useLinkStatus } from '../link';

/** The attract screen: what is free now, and the two ways in. */
export function HomeScreen({ lot }: { lot: Lot }) {
  const { t, f } = useMessages();
  const { go } = flowStep('home');
  const language = useKioskLanguage((state) => state.language);
  const setLanguage = useKioskLanguage((state) => state.setLanguage);
  const types = VEHICLE_DISPLAY_ORDER.filter((type) => lot.freeByVehicleType[type] !== undefined);
  const { slots } = useLiveSlots(lot.id);
  const heading = useScreenEntry();
  const offline = useConnection((state) => state.offline);
  const bookable = canBookHere(useLinkStatus());
  const cheapest = slots?.length ? Math.min(...slots.map((slot) => slot.bookingPrice)) : null;
  useSpoken('home', spokenHome(t, f, { lot, cheapest, offline }));
  return (
    <section className="screen home" aria-labelledby="screen-title">
      <div className="home-hero">
        <p className="home-welcome">{t.home.welcome}</p>
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          {lot.name}
        </h1>
      </div>

      {/* Offline, the counts are the last ones heard and say so: never a confident "24 of 24 free". */}
      <div className={offline ? 'free-now stale' : 'free-now'} aria-labelledby="free-now-title">
        <h2 id="free-now-title">
          {t.home.freeNow}
          {offline ? (
            <span className="free-total offline" data-testid="free-total">
              {fill(t.home.freeOffline, { free: lot.freeSlots, total: lot.totalSlots })}
            </span>
          ) : (
            <span className="free-total" data-testid="free-total">
              {fill(t.home.freeOf, { free: lot.freeSlots, total: lot.totalSlots })}
            </span>
          )}
        </h2>
        {lot.freeSlots === 0 && !offline && (
          <p className="lot-full" role="status">
            {t.home.full}
          </p>
        )}
        <ul className="free-types">
          {types.map((type) => {
            const free = lot.freeByVehicleType[type] ?? 0;
            return (
              <li key={type} className={free === 0 ? 'free-type none' : 'free-type'} data-type={type}>
                <VehicleIcon type={type} />
                <span className="free-count">{free}</span>
                <span className="free-label">{t.vehicleTypes[type]}</span>
              </li>
            );
          })}
        </ul>
      </div>

      <div className="home-actions">
        <button type="button" className="button primary huge" disabled={!bookable} aria-disabled={!bookable} onClick={() => bookable && go('slots')}>
          <span className="button-title">{t.home.book}</span>
          {!bookable ? (
            <span className="button-hint">{t.link.kiosk.bookDisabled}</span>
          ) : (
            cheapest !== null && (
              <span className="button-hint">{fill(t.home.bookHint, { minutes: lot.bookingMinutes, price: f.money(cheapest, lot.currency) })}</span>
            )
          )}
        </button>
        <button type="button" className="button secondary huge" onClick={() => go('find')}>
          <span className="button-title">{t.home.find}</span>
          <span className="button-hint">{t.home.findHint}</span>
        </button>
      </div>

      <div className="language-switch" role="group" aria-label={t.home.language}>
        {languages.map((code) => (
          <button
            key={code}
            type="button"
            lang={code}
            className={code === language ? 'button chip selected' : 'button chip'}
            aria-pressed={code === language}
            onClick={() => setLanguage(code)}
          >
            {catalogs[code].languageName}
          </button>
        ))}
      </div>
    </section>
  );
}
