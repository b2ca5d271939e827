import type { Catalog } from "./zh-CN";

/** English: the second language. Must have exactly the keys of the Chinese catalog. */
export const en: Catalog = {
  app: {
    name: "Co-op Farm Shop",
    tagline: "Good things from our villages, sold for them by the co-op",
    loading: "Loading…",
    skipToContent: "Skip to content",
  },
  language: {
    label: "Language",
    zh: "中文",
    en: "English",
  },
  nav: {
    home: "Home",
    products: "All products",
    staffLogin: "Staff login",
    staff: "For staff",
    backToProducts: "Back to all products",
    backHome: "Back to the home page",
  },
  home: {
    intro:
      "Free-range eggs, pickled vegetables and camellia oil, made by villagers at home. The village service point takes them in and the co-op checks them before they are sold. Fertilizer, seed and farm tools are here too, at fair prices.",
    browse: "See all products",
    featuredTitle: "Fresh farm produce",
    featuredEmpty: "No farm produce is on sale right now.",
    featuredUnavailable: "Products cannot be shown right now. Please try again in a moment.",
    staffTitle: "Staff",
    staffText: "Commerce agents, warehouse staff and managers log in here.",
  },
  kinds: {
    all: "All",
    produce: "Farm produce",
    supply: "Farm supplies",
  },
  products: {
    title: "All products",
    searchLabel: "Find a product",
    searchPlaceholder: "For example: eggs, tea oil, fertilizer",
    searchButton: "Search",
    kindLabel: "Kind",
    resultsFor: "Results for “{{q}}”",
    empty: "No products found. Try another word.",
    more: "More products",
    firstPage: "Back to the first page",
  },
  product: {
    price: "Price",
    stock: "Stock",
    perishable: "Fresh food: please eat it soon",
    description: "About this product",
    sku: "Item number: {{sku}}",
    howToBuy: "Ordering online is coming soon. For now, please buy at your village service point.",
  },
  price: {
    perUnit: "/ {{unitName}}",
    perQuantity: "/ {{quantity}} {{unitName}}",
  },
  stock: {
    inStock: "In stock: {{amount, number}} {{unitName}}",
    outOfStock: "Out of stock",
  },
  staff: {
    login: {
      title: "Staff login",
      intro: "Please enter your login name and password.",
      loginLabel: "Login name",
      passwordLabel: "Password",
      submit: "Log in",
      errors: {
        invalidCredentials: "The login name or password is wrong. Please try again.",
        rateLimited: "Too many tries. Please wait one minute and try again.",
        missingFields: "Please enter your login name and password.",
        unavailable: "The system cannot be reached right now. Please try again in a moment.",
      },
    },
    console: {
      title: "Staff console",
      greeting: "Hello, {{name}}",
      role: "Role: {{role}}",
      tilesTitle: "What you can do",
      comingSoon: "Coming soon",
      logout: "Log out",
    },
    roles: {
      admin: "Administrator",
      warehouse: "Warehouse staff",
      agent: "Commerce agent",
    },
    tiles: {
      products: "Products & prices",
      commissionRules: "Commission rules",
      servicePoints: "Service points",
      staffAccounts: "Staff accounts",
      reports: "Reports",
      receiveCollections: "Receive collections",
      stock: "Stock by location and lot",
      counts: "Counts & adjustments",
      pickPack: "Pick & pack",
      registerVillager: "Register a villager",
      intake: "Take in produce",
      statements: "Villager statements",
      payout: "Pay out",
      assistedOrder: "Order for a villager",
      pickup: "Pickup hand-over",
    },
  },
  errors: {
    code: "Error code {{status}}",
    notFound: {
      title: "Page not found",
      text: "This product may no longer be sold, or the address is wrong.",
    },
    unavailable: {
      title: "The system cannot be reached",
      text: "Please try again in a moment.",
    },
    generic: {
      title: "Something went wrong",
      text: "Please go back to the home page and try again.",
    },
  },
};
