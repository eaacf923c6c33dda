/**
 * A bare SSE reader over fetch, so tests see exactly what goes over the wire: it can send
 * `Authorization: Bearer` (which a browser EventSource cannot) or tRPC's connectionParams,
 * and it hands back each `data:` event of a tRPC subscription with its arrival time.
 */
export interface SseEvent {
  event: string;
  data: unknown;
  at: number;
}

export interface SseStream {
  /** The next event of the given type (default: plain data), or a rejection after timeoutMs. */
  next(timeoutMs?: number, type?: string): Promise<SseEvent>;
  close(): void;
}

export async function openSubscription(
  baseUrl: string,
  path: string,
  input: unknown,
  auth: { bearer?: string; connectionParams?: Record<string, string> } = {},
): Promise<SseStream> {
  const params = new URLSearchParams({ input: JSON.stringify(input) });
  if (auth.connectionParams) params.set('connectionParams', JSON.stringify(auth.connectionParams));
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/trpc/${path}?${params}`, {
    headers: { accept: 'text/event-stream', ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}) },
    signal: controller.signal,
  });
  if (!response.body) throw new Error(`no SSE body (HTTP ${response.status})`);
  const queue: SseEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let split: number;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length === 0) continue;
          queue.push({ event, data: JSON.parse(data.join('\n')), at: Date.now() });
          wake?.();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
      wake?.();
    }
  })();

  return {
    async next(timeoutMs = 5_000, type = 'message') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex((event) => event.event === type);
        if (index >= 0) return queue.splice(index, 1)[0]!;
        if (ended) throw new Error(`stream ended before a "${type}" event`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${type}" event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    },
    close: () => controller.abort(),
  };
}
