import { errorMessage } from '../../lib/errors';

/** An inline error from the server, in its own words. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error-note" role="alert">
      {errorMessage(error)}
    </p>
  );
}
