export * from "./bounds";
export * from "./enums";
export * from "./errors";
export * from "./ids";
export * from "./money";
export * from "./text";
export * from "./units";
export * from "./sale-units";
