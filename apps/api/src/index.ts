export { type App, createApp } from "./app";
export { type Env, readEnv } from "./env";
export { createLogger } from "./lib/logger";
