import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps } from "./lib/context";
import { databaseInputError } from "./lib/db-errors";
import {
  isDatabaseUnavailable,
  isTransientConflict,
  RETRY_AFTER_SECONDS,
  serviceUnavailable,
} from "./lib/db-unavailable";
import { ApiError, errorBody } from "./lib/errors";
import { createRouter } from "./lib/router";
import { authenticate } from "./middleware/authenticate";
import { limitBody } from "./middleware/body-limit";
import { closeUnreadBody } from "./middleware/close-unread-body";
import { corsHeaders } from "./middleware/cors";
import { inputRules } from "./middleware/input-rules";
import { requestLogger } from "./middleware/request-logger";
import { adminRoutes } from "./routes/admin";
import { authRoutes } from "./routes/auth";
import { buyerRoutes } from "./routes/buyer";
import { calendarRoutes } from "./routes/calendar";
import { campaignRoutes } from "./routes/campaigns";
import { cashRoutes } from "./routes/cash";
import { collectionRoutes } from "./routes/collections";
import { commitmentRoutes } from "./routes/commitments";
import { consignorRoutes } from "./routes/consignors";
import { deliveryRunRoutes } from "./routes/delivery-runs";
import { exportRoutes } from "./routes/exports";
import { flashSaleRoutes } from "./routes/flash-sales";
import { healthRoutes } from "./routes/health";
import { intakeDeviceRoutes } from "./routes/intake-devices";
import { lotRoutes } from "./routes/lots";
import { orderRoutes } from "./routes/orders";
import { payoutRoutes } from "./routes/payouts";
import { productPhotoRoutes } from "./routes/product-photos";
import { productRoutes } from "./routes/products";
import { publicLotRoutes } from "./routes/public-lots";
import { ratingRoutes } from "./routes/ratings";
import { referenceRoutes } from "./routes/reference";
import { reportRoutes } from "./routes/reports";
import { saleUnitRoutes } from "./routes/sale-units";
import { servicePointRoutes } from "./routes/service-points";
import { smsReportRoutes } from "./routes/sms-reports";
import { stockRoutes } from "./routes/stock";
import { warehouseRoutes } from "./routes/warehouses";
import { documentOutgoingWebhooks, webhookEndpointRoutes } from "./routes/webhook-endpoints";
import { webhookRoutes } from "./routes/webhooks";

const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Photo uploads: 5 MB of image plus the multipart envelope. */
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024 + 64 * 1024;

/**
 * Builds the API. The one place where request ids, logging, security headers, CORS, body limits,
 * authentication and the error shape are installed, so every route gets all of them.
 */
export function createApp(deps: AppDeps) {
  const app = createRouter();

  app.use("*", closeUnreadBody());
  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLogger());
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-site" }));
  app.use(
    "*",
    corsHeaders({
      origins: deps.env.CORS_ORIGINS.split(",").map((o) => o.trim()),
      allowHeaders: ["Content-Type", "Authorization", "Idempotency-Key", "X-Request-Id"],
      exposeHeaders: ["X-Request-Id"],
      maxAge: 600,
    }),
  );
  const jsonLimit = limitBody({
    maxSize: MAX_JSON_BODY_BYTES,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", "The request body is larger than 1 MB.");
    },
  });
  const uploadLimit = limitBody({
    maxSize: MAX_UPLOAD_BYTES,
    onError: () => {
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        "The photo is larger than 5 MB. Take it again at a lower size.",
      );
    },
  });
  app.use("/v1/*", (c, next) => (c.req.path.endsWith("/photos") ? uploadLimit(c, next) : jsonLimit(c, next)));
  // After the body limits (it reads the body), before authentication (anonymous routes get it too).
  app.use("/v1/*", inputRules());
  app.use("/v1/*", authenticate());

  app.route("/", healthRoutes());
  app.route("/v1", authRoutes(deps));
  app.route("/v1", productRoutes());
  app.route("/v1", productPhotoRoutes());
  app.route("/v1", publicLotRoutes());
  app.route("/v1", ratingRoutes());
  app.route("/v1", servicePointRoutes());
  app.route("/v1", warehouseRoutes());
  app.route("/v1", consignorRoutes());
  app.route("/v1", lotRoutes());
  app.route("/v1", intakeDeviceRoutes());
  app.route("/v1", collectionRoutes());
  app.route("/v1", deliveryRunRoutes());
  app.route("/v1", stockRoutes());
  app.route("/v1", payoutRoutes());
  app.route("/v1", cashRoutes());
  app.route("/v1", adminRoutes());
  app.route("/v1", saleUnitRoutes());
  app.route("/v1", buyerRoutes());
  app.route("/v1", orderRoutes());
  app.route("/v1", flashSaleRoutes());
  app.route("/v1", campaignRoutes());
  app.route("/v1", calendarRoutes());
  app.route("/v1", reportRoutes());
  app.route("/v1", exportRoutes());
  app.route("/v1", commitmentRoutes());
  app.route("/v1", webhookEndpointRoutes());
  app.route("/v1", webhookRoutes());
  app.route("/v1", smsReportRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A staff token from POST /v1/auth/login",
  });
  documentOutgoingWebhooks(app);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Co-op Market API",
      version: "1.0.0",
      description:
        "Consignment, stock, orders and payments for a rural supply-and-marketing co-op. Money is integer fen (1 yuan = 100 fen); quantities are integers in each product's base unit. Every error body is {error:{code,message,requestId}}.",
    },
    servers: [{ url: "/" }],
  });
  app.route("/", referenceRoutes());

  app.notFound((c) => {
    const error = new ApiError("NOT_FOUND", `There is no ${c.req.method} ${c.req.path} in this API.`);
    return c.json(errorBody(error, c.get("requestId")), 404);
  });

  app.onError((err, c) => {
    const requestId = c.get("requestId") ?? "unknown";
    if (isDatabaseUnavailable(err)) {
      // Not a bug: the database is restarting or unreachable. The client retries after a pause.
      (c.get("logger") ?? deps.logger).warn({ err, requestId }, "database unavailable");
      c.header("Retry-After", String(RETRY_AFTER_SECONDS));
      return c.json(errorBody(serviceUnavailable(), requestId), 503);
    }
    if (isTransientConflict(err)) {
      // Two transactions crossed (e.g. a recall and a dispatch); PostgreSQL undid this one entirely.
      (c.get("logger") ?? deps.logger).warn({ err, requestId }, "transaction aborted by a conflict");
      c.header("Retry-After", "1");
      return c.json(errorBody(serviceUnavailable(), requestId), 503);
    }
    const error = toApiError(err);
    if (error.status >= 500) {
      (c.get("logger") ?? deps.logger).error({ err, requestId }, "unhandled error");
    }
    return c.json(errorBody(error, requestId), error.status);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;

/** Maps anything thrown to an ApiError; unknown errors become a plain INTERNAL with no details. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const refusedInput = databaseInputError(err);
  if (refusedInput) return refusedInput;
  if (err instanceof HTTPException) {
    // Thrown by Hono's own middleware and validators; their messages are not written for people.
    if (err.status === 400) {
      // Hono's JSON validator throws this for a body that is not valid JSON.
      return new ApiError("VALIDATION_FAILED", "The request body is not valid JSON.", {
        fields: [{ path: "(body)", message: "not valid JSON" }],
      });
    }
    if (err.status === 401) return new ApiError("UNAUTHENTICATED", "Please log in first.");
    if (err.status === 403) return new ApiError("FORBIDDEN", "You may not do this.");
    if (err.status === 404) return new ApiError("NOT_FOUND", "Not found.");
    if (err.status === 413) return new ApiError("PAYLOAD_TOO_LARGE", "The request body is too large.");
    if (err.status === 415) {
      return new ApiError(
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the request body as JSON (Content-Type: application/json).",
      );
    }
    if (err.status === 429) return new ApiError("RATE_LIMITED", "Too many requests. Please wait a moment.");
  }
  return new ApiError(
    "INTERNAL",
    "Something went wrong on our side. Please try again; if it keeps happening, tell the co-op office.",
  );
}
