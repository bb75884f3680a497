# syntax=docker/dockerfile:1
# lakeflow-connector-bot: `docker compose up` runs it with Redis (docker-compose.yml); README "Docker" says more.

# Build stage: the TypeScript compiler and every dev dependency, to emit dist/.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies, the compiled JavaScript, the agent prompts and the App manifest.
FROM node:22-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY agents ./agents
COPY app.yml ./
# The bot needs no write access to its own files: run as the image's unprivileged `node` user.
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
