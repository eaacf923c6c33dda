import { startServer, tempDbFile, type RunningServer } from './server';

/**
 * The real server (`electron/server/cli.ts`) in a process of its own that can be stopped and
 * started again on the same port and the same database, as when a kiosk's server goes away
 * and comes back. Each run is a `startServer` (server.ts: node itself with tsx as an --import
 * hook, its own process group); stopping it kills the group and waits until it is gone
 * (processes.ts), and the per-file backstop stops a run a test left behind.
 */
export interface RestartableServer {
  url: string;
  port: number;
  dbFile: string;
  /** The pid of the server now running (null while stopped). */
  pid(): number | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRestartableServer(options: { staticDir: string; dbFile?: string }): Promise<RestartableServer> {
  const dbFile = options.dbFile ?? tempDbFile('restartable');
  let running: RunningServer | null = await startServer({ dbFile, staticDir: options.staticDir });
  const { url } = running;
  const port = Number(new URL(url).port);

  return {
    url,
    port,
    dbFile,
    pid: () => running?.pid ?? null,
    async stop() {
      const server = running;
      if (!server) return;
      running = null;
      // An outage, not a shutdown: the whole group at once.
      await server.stop('SIGKILL');
      server.process.stdout?.destroy();
      server.process.stderr?.destroy();
    },
    async start() {
      if (running) throw new Error('the server is already running');
      // The port was just freed; a few tries cover the moment the kernel takes to let it go.
      for (let attempt = 0; ; attempt += 1) {
        try {
          running = await startServer({ dbFile, staticDir: options.staticDir, port });
          return;
        } catch (error) {
          if (attempt >= 5 || !/EADDRINUSE/.test(String(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
    },
  };
}
