import { useEffect, useState } from 'react';
import { fill, useMessages } from '../../i18n';
import { useKioskAccess } from '../../stores/kioskAccess';
import { useKioskScreen } from '../../stores/kioskFlow';
import { onVoicesChanged, speak, stopSpeaking, voicesFor } from './speech';
import { speakScreen } from './SpeechController';

/**
 * The bar at the foot of every screen, always in the same place and within reach: Speak (read
 * this screen, and from then on every screen and action), Stop, Quieter / Louder, the voice;
 * on the home screen also high contrast and large text.
 */
export function AccessBar() {
  const { t, language } = useMessages();
  const access = useKioskAccess();
  const screen = useKioskScreen();
  const [voiceCount, setVoiceCount] = useState(() => voicesFor(language).length);
  useEffect(() => {
    setVoiceCount(voicesFor(language).length);
    return onVoicesChanged(() => setVoiceCount(voicesFor(language).length));
  }, [language]);

  // Each adjustment is heard at once, at its new setting (a sample even while speech is off).
  const sample = (text: string) => {
    const { volume, voiceIndex } = useKioskAccess.getState();
    speak(text, { language, volume, voiceIndex });
  };
  const onSpeak = () => {
    access.setSpeechOn(true);
    speakScreen();
  };
  const onStop = () => {
    stopSpeaking();
    access.setSpeechOn(false);
  };
  const louder = () => {
    access.louder();
    sample(fill(t.a11y.volumeNow, { percent: Math.round(useKioskAccess.getState().volume * 100) }));
  };
  const quieter = () => {
    access.quieter();
    sample(fill(t.a11y.volumeNow, { percent: Math.round(useKioskAccess.getState().volume * 100) }));
  };
  const nextVoice = () => {
    access.nextVoice(voiceCount);
    sample(fill(t.a11y.voiceNow, { n: useKioskAccess.getState().voiceIndex + 1 }));
  };
  const volumePercent = Math.round(access.volume * 100);

  return (
    <div className="access-bar" role="group" aria-label={t.a11y.bar} data-speech-control data-testid="access-bar">
      <button type="button" className="button access speak" aria-pressed={access.speechOn} onClick={onSpeak}>
        <SpeakerIcon />
        {t.a11y.speak}
      </button>
      <button type="button" className="button access" onClick={onStop}>
        <span aria-hidden="true" className="access-icon">
          ■
        </span>
        {t.a11y.stop}
      </button>
      <button type="button" className="button access" onClick={quieter} disabled={volumePercent <= 20}>
        <span aria-hidden="true" className="access-icon">
          −
        </span>
        {t.a11y.quieter}
      </button>
      <button type="button" className="button access" onClick={louder} disabled={volumePercent >= 100}>
        <span aria-hidden="true" className="access-icon">
          +
        </span>
        {t.a11y.louder}
      </button>
      <button type="button" className="button access" onClick={nextVoice}>
        {fill(t.a11y.voice, { n: (voiceCount > 0 ? access.voiceIndex % voiceCount : 0) + 1 })}
      </button>
      {screen === 'home' && (
        <div className="access-modes">
          <button type="button" className="button access mode" aria-pressed={access.contrast} onClick={access.toggleContrast} data-testid="contrast-toggle">
            <span aria-hidden="true" className="access-icon">
              ◐
            </span>
            {t.a11y.contrast}
          </button>
          <button type="button" className="button access mode" aria-pressed={access.largeText} onClick={access.toggleLargeText} data-testid="large-text-toggle">
            <span aria-hidden="true" className="access-icon">
              A+
            </span>
            {t.a11y.largeText}
          </button>
        </div>
      )}
    </div>
  );
}

/** Drawn, not an emoji: kiosks often have no colour emoji font. */
function SpeakerIcon() {
  return (
    <svg className="access-icon speaker" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
      <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
