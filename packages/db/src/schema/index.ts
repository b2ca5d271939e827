export * from "./consignors";
export * from "./coop";
export * from "./orders";
export * from "./products";
export * from "./settlement";
export * from "./staff";
export * from "./stock";
export * from "./system";
