/** The API contract as zod schemas: the API validates and documents with them, the shop parses with them. */
export * from "./admin";
export * from "./auth";
export * from "./buyer";
export * from "./calendar";
export * from "./campaigns";
export * from "./cash";
export * from "./catalog";
export * from "./common";
export * from "./consignment";
export * from "./deliveries";
export * from "./flash-sales";
export * from "./health";
export * from "./intake-devices";
export * from "./line-codes";
export * from "./orders";
export * from "./pickups";
export * from "./service-points";
