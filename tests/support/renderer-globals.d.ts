// The renderer's window globals (window.kioskIpc, window.__kioskSpeech) for the browser tests that
// read them inside pages. The renderer is its own TypeScript project (tsconfig.web.json); these
// type-only imports bring its `declare global` blocks into the tests' program.
import type {} from '../../src/api/links';
import type {} from '../../src/kiosk/a11y/speech';
