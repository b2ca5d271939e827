import net from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that a test can cut: `refuse()` drops every open connection and refuses
 * new ones (as a server that restarts or a network that fails does), `accept()` lets them through again.
 */
export interface TcpProxy {
  port: number;
  refuse(): Promise<void>;
  accept(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target);
        open.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        client.pipe(upstream).pipe(client);
      });
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      for (const socket of open) socket.destroy();
      open.clear();
      if (!s) return resolve();
      s.close(() => resolve());
    });

  await listen();
  return {
    get port() {
      return port;
    },
    refuse: stopListening,
    accept: async () => {
      // The port was just released; another process could take it in between, which a test would see.
      for (let attempt = 0; ; attempt++) {
        try {
          return await listen();
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    close: stopListening,
  };
}
