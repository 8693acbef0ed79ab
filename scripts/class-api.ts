/**
 * The class API alone, without the site: `tsx scripts/class-api.ts --port N`. The tests and the
 * bench use it (no production build needed); it also suits a separate API host. Same settings
 * as `npm start` (DATABASE_URL, CLASS_DATA_DIR, CLASS_CREATE_KEY, ...). Prints `listening on N`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { startClassApi } from "../lib/class/api";
import { classApiOptionsFromEnv } from "../lib/class/config";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
let api;
try {
  api = await startClassApi(classApiOptionsFromEnv());
} catch (error) {
  console.error(`class API: ${(error as Error).message}`);
  process.exit(1);
}
const classApi = api;
const server = createServer((request, response) => {
  if (classApi.handles(request.url)) return classApi.handle(request, response);
  response.writeHead(404, { "content-type": "text/plain" }).end("only the class API is here\n");
});
server.listen(Number(values.port ?? process.env.PORT ?? 0), values.hostname ?? "127.0.0.1", () => {
  console.log(`listening on ${(server.address() as AddressInfo).port}`);
});
const stop = () => {
  server.closeAllConnections();
  server.close();
  void classApi.close().finally(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
