/**
 * Node 20 has no global EventSource, so a tRPC client in a test process cannot hold an SSE
 * subscription. This is the smallest EventSource that tRPC's httpSubscriptionLink needs: fetch
 * the stream and dispatch each `event:`/`data:` block as a MessageEvent.
 */
export class NodeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readonly withCredentials = false;
  readyState = 0;
  private readonly abort = new AbortController();

  constructor(readonly url: string) {
    super();
    void this.run();
  }

  close(): void {
    this.readyState = 2;
    this.abort.abort();
  }

  private async run(): Promise<void> {
    try {
      const response = await fetch(this.url, { headers: { accept: 'text/event-stream' }, signal: this.abort.signal });
      if (!response.ok || !response.body) throw new Error(`SSE request failed with ${response.status}`);
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
          this.dispatchBlock(block);
        }
      }
    } catch {
      // Aborted by close(), or the server went away.
    }
    if (this.readyState !== 2) {
      this.readyState = 2;
      this.dispatchEvent(new Event('error'));
    }
  }

  private dispatchBlock(block: string): void {
    let type = 'message';
    let id = '';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length === 0) return;
    this.dispatchEvent(new MessageEvent(type, { data: data.join('\n'), lastEventId: id }));
  }
}
