// Runs the GraphQL-over-HTTP audit of the `graphql-http` package against a live server.
// Usage: node audit.mjs <url> <bearer token>. Prints one JSON summary line last.
import { auditServer } from 'graphql-http';

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
const count = (status) => results.filter((r) => r.status === status).length;
for (const r of results.filter((r) => r.status !== 'ok')) {
  console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason}`);
}
console.log(JSON.stringify({ ok: count('ok'), warn: count('warn'), error: count('error') }));
