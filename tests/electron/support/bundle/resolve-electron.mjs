// Module hook: `import ... from 'electron'` resolves to the recording fake. Registered by
// register-fake-electron.mjs (`node --import tsx --import ./register-fake-electron.mjs`).
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return next(new URL('./fake-electron-module.mts', import.meta.url).href, context);
  return next(specifier, context);
}
