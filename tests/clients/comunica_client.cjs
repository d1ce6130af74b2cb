// Queries an Agora SPARQL endpoint with Comunica (@comunica/query-sparql 4.x).
//
// Run by tests/sparql_clients.rs as `node comunica_client.cjs` with NODE_PATH set to the
// node_modules folder install.sh fills, and a JSON object on standard input: the endpoint and the
// queries (select, ask_yes, ask_no, construct). Prints the answers as JSON, terms as {iri},
// {bnode} or {value, lang|datatype}, so that the Rust test compares them with the demo data.
'use strict';

const TIMEOUT_MS = 30000;

function term(t) {
  switch (t.termType) {
    case 'NamedNode':
      return { iri: t.value };
    case 'BlankNode':
      return { bnode: t.value };
    case 'Literal':
      if (t.language) {
        return { value: t.value, lang: t.language };
      }
      return { value: t.value, datatype: t.datatype.value };
    default:
      throw new Error(`unexpected term ${t.termType}`);
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function main() {
  const { QueryEngine } = require('@comunica/query-sparql');
  const version = require('@comunica/query-sparql/package.json').version;
  const spec = await readStdin();
  const engine = new QueryEngine();
  // The endpoint is a SPARQL source: Comunica sends it whole queries where it can.
  const context = { sources: [{ type: 'sparql', value: spec.endpoint }] };
  const bindings = await (await engine.queryBindings(spec.select, context)).toArray();
  const variables = spec.variables;
  const select = bindings.map((b) => variables.map((v) => (b.has(v) ? term(b.get(v)) : null)));
  const quads = await (await engine.queryQuads(spec.construct, context)).toArray();
  const answers = {
    client: `Comunica ${version}`,
    variables,
    select,
    ask_yes: await engine.queryBoolean(spec.ask_yes, context),
    ask_no: await engine.queryBoolean(spec.ask_no, context),
    construct: quads.map((q) => [term(q.subject), term(q.predicate), term(q.object)]),
  };
  process.stdout.write(JSON.stringify(answers));
}

setTimeout(() => {
  process.stderr.write(`no answer within ${TIMEOUT_MS} ms\n`);
  process.exit(3);
}, TIMEOUT_MS).unref();

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
