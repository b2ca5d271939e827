export * from "./bounds";
export * from "./closed-sets";
export * from "./errors";
export * from "./ids";
export * from "./money";
export * from "./sale-units";
export * from "./text";
export * from "./units";
