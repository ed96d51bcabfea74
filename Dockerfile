# syntax=docker/dockerfile:1
# Image Studio: one image for every role (ROLE=all | api | worker); see README "Containers".

# --- build: all dependencies (the server runs TypeScript through tsx) and the web app ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Only for a native module without a prebuilt binary for this platform; never reaches the runtime.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY apps apps
RUN npm run build

# --- runtime: sharp and onnxruntime ship their own native libraries, so no libvips from Debian ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/packages packages
COPY --from=build --chown=node:node /app/apps/server apps/server
COPY --from=build --chown=node:node /app/apps/web/package.json apps/web/package.json
COPY --from=build --chown=node:node /app/apps/web/dist apps/web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# A worker (ROLE=worker) serves no HTTP; compose gives it no health check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/api/image-studio/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The same start command the tests use; SIGTERM lets running jobs finish (see stop_grace_period).
CMD ["npm", "run", "serve"]
