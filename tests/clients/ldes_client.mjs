// Harvests one Agora LDES with ldes-client (npm `ldes-client` 0.3.x, the reference LDES client).
//
// Run by tests/ldes_client.rs as `node ldes_client.mjs URL STATE_DIR [follow COUNT]` with
// AGORA_LDES_CLIENT set to the node_modules folder install.sh fills. Replicates the stream in
// ascending time order, keeping the client's state in STATE_DIR. Without `follow` it stops when it
// has read the stream once. With `follow COUNT` it resumes from the saved state and follows (the
// client re-polls only the pages it saw as mutable when it follows), and stops once it has
// emitted COUNT members and then seen nothing more for two seconds, or after 30 seconds.
// Prints one JSON line per member: its IRI, event class, record and timestamp, and how many quads
// the client extracted for it.
import { pathToFileURL } from "node:url";
import path from "node:path";

const [url, statePath, mode, countText] = process.argv.slice(2);
const follow = mode === "follow";
const expected = Number(countText ?? 0);
const modules = process.env.AGORA_LDES_CLIENT;
if (!url || !statePath || !modules) {
  console.error("usage: AGORA_LDES_CLIENT=node_modules node ldes_client.mjs URL STATE_DIR");
  process.exit(2);
}
const { replicateLDES, intoConfig } = await import(
  pathToFileURL(path.join(modules, "ldes-client/dist/lib/client.js")).href
);

const client = replicateLDES(
  intoConfig({ url, statePath, polling: follow, pollInterval: 200, concurrentFetches: 4 }),
  "ascending",
);
const reader = client.stream({ highWaterMark: 10 }).getReader();
let emitted = 0;
let stopTimer = null;
const stop = () => reader.cancel();
const hardStop = follow ? setTimeout(stop, 30000) : null;
if (follow && expected === 0) {
  // Nothing is expected: give the client a few polling cycles to prove it.
  stopTimer = setTimeout(stop, 3000);
}
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  emitted += 1;
  if (follow && emitted >= expected) {
    clearTimeout(stopTimer);
    stopTimer = setTimeout(stop, 2000);
  }
  console.log(
    JSON.stringify({
      id: value.id.value,
      type: value.type?.value ?? null,
      isVersionOf: value.isVersionOf ?? null,
      timestamp: value.timestamp instanceof Date ? value.timestamp.toISOString() : null,
      quads: value.quads.length,
    }),
  );
}
clearTimeout(hardStop);
clearTimeout(stopTimer);
process.exit(0);
