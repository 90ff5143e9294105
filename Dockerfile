# One image for the three services of the demo saga.
#
#   docker build -t nest-reliable-messaging .
#   docker run -e SERVICE=payment-service -e DATABASE_URL=... nest-reliable-messaging
#
# SERVICE (order-service, payment-service or notification-service) picks the
# service at run time; the build argument of the same name sets its default.
# Inside the container every service listens on PORT (3000 unless set).

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
RUN npx nest build order-service \
 && npx nest build payment-service \
 && npx nest build notification-service

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: the bundles keep node_modules external.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist/apps ./dist/apps

ARG SERVICE=order-service
ENV SERVICE=${SERVICE} \
    PORT=3000
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec: node gets SIGTERM directly and shuts down gracefully.
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/main.js"]
