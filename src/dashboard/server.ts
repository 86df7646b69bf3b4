/**
 * The dashboard over HTTP on a local address: every request for the page reads the warehouse again,
 * so a newly promoted run shows on reload. `/` is the page, `/data.json` the data it is drawn from.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardData } from './dashboard-data.ts';
import { renderDashboardPage } from './page.ts';

export interface DashboardServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  load(): Promise<DashboardData>;
}

export interface DashboardServer {
  /** e.g. http://127.0.0.1:8050/ */
  url: string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function handle(request: IncomingMessage, response: ServerResponse, load: () => Promise<DashboardData>): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return send(response, 405, 'text/plain', `method ${request.method} is not allowed; use GET\n`);
  if (path !== '/' && path !== '/data.json')
    return send(response, 404, 'text/plain', `no page at ${path}; the dashboard is at / and its data at /data.json\n`);
  try {
    const data = await load();
    if (path === '/') send(response, 200, 'text/html', renderDashboardPage(data));
    else send(response, 200, 'application/json', `${JSON.stringify(data)}\n`);
  } catch (error) {
    send(
      response,
      500,
      'text/plain',
      `the dashboard could not be read from the warehouse: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
  }
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const server = createServer((request, response) => {
    void handle(request, response, options.load);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
