# The auditor service. Build: docker build -t disclosure-audit .  (docker-compose.yml builds it too.)

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's `prepare` builds from sources that are not copied yet.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# The register is read at start-up from register/ beside package.json (REGISTER_DIR overrides it).
COPY register ./register
COPY bin ./bin
USER node
EXPOSE 3000
# Migrations first (idempotent), then the auditor.
CMD ["sh", "-c", "node bin/disclosure-audit.js migrate && exec node dist/apps/auditor/src/main.js"]
