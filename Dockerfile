# syntax=docker/dockerfile:1
# The gateway's production build on Node 22, production dependencies only, as a non-root user.
# `docker compose up` (docker-compose.yml) runs it in sandbox mode next to a Redis; to go live, run
# `npm run setup` and hand the .env it writes to the container (env_file), without SANDBOX=1.
# test/e2e/container.test.ts runs these steps on the host (no container engine on CI machines).

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY src ./src
# The sandbox's H5 example page, bundled into dist/ by the build (its script imports the client).
COPY examples/h5 ./examples/h5
COPY client ./client
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The file token store and the sandbox's key file live here; everything else is read-only.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000
# Ready, not only alive: 503 while draining or while WeChat rejects an app's credentials.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 4000}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1: the gateway handles SIGTERM itself (drain, then exit 0 within SHUTDOWN_DELAY_MS + 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
