export * from "./contract";
export * from "./receipt-document";
