/** (a) The baseline: a bare graphql-yoga hello world on node:http, nothing configured. */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { listenOnLoopback } from '../ipc.js';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { hello: String! }',
    resolvers: { Query: { hello: () => 'world' } },
  }),
});
const origin = await listenOnLoopback(createServer(yoga));
process.on('SIGTERM', () => process.exit(0));
console.log(`listening ${origin}${yoga.graphqlEndpoint}`);
