// deploy.mjs URL TOKEN N: deploys N processes through the API (processCreate,
// one request each, the admin token), then checks that the operations query
// returns them. Prints the count deployed and seen.
import { processInputs, PROCESS_CREATE, gqlPost } from './data.mjs';

const [url, token, n = '100'] = process.argv.slice(2);
const inputs = processInputs(Number(n));
for (const process of inputs) await gqlPost(url, token, PROCESS_CREATE, { input: { process } });
const got = await gqlPost(url, token, '{ operations { id externalId name updatedAt consumedSerials { id name externalId } } }');
const ids = new Set(got.data.operations.map((o) => o.id));
const missing = inputs.filter((p) => !ids.has(p.id));
if (missing.length) throw new Error(`deployed ${inputs.length}, ${missing.length} missing from operations`);
console.log(`deployed ${inputs.length} processes; operations returns ${got.data.operations.length}`);
