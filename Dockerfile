# syntax=docker/dockerfile:1
# Build stage: install dependencies (better-sqlite3 compiles here) with the toolchain available.
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime stage: no compiler, non-root user, only what the bot needs.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    DOCS_DIR=/app/docs-corpus \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json .npmrc ./
COPY bin ./bin
COPY src ./src
COPY prompts ./prompts
COPY docs-corpus ./docs-corpus
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Slack HTTP mode listens here; Socket Mode and Discord need no inbound port.
EXPOSE 3000
CMD ["node", "bin/briefbot.js", "start"]
