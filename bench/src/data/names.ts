/** Words the generated co-op is made of: villages, villagers, and product families in Chinese and English. */

const SYLLABLES: ReadonlyArray<readonly [string, string]> = [
  ["竹", "Zhu"],
  ["枫", "Feng"],
  ["荷", "He"],
  ["石", "Shi"],
  ["杉", "Shan"],
  ["桃", "Tao"],
  ["李", "Li"],
  ["梅", "Mei"],
  ["松", "Song"],
  ["柳", "Liu"],
  ["青", "Qing"],
  ["白", "Bai"],
  ["黄", "Huang"],
  ["金", "Jin"],
  ["龙", "Long"],
  ["凤", "Feng"],
  ["马", "Ma"],
  ["田", "Tian"],
  ["山", "Shan"],
  ["溪", "Xi"],
  ["岭", "Ling"],
  ["塘", "Tang"],
  ["坪", "Ping"],
  ["湾", "Wan"],
  ["冲", "Chong"],
  ["桥", "Qiao"],
  ["铺", "Pu"],
  ["源", "Yuan"],
  ["茶", "Cha"],
  ["新", "Xin"],
  ["高", "Gao"],
  ["东", "Dong"],
];

export function village(i: number): { zh: string; en: string } {
  const a = SYLLABLES[i % SYLLABLES.length]!;
  const b = SYLLABLES[Math.floor(i / SYLLABLES.length) % SYLLABLES.length]!;
  const n = Math.floor(i / (SYLLABLES.length * SYLLABLES.length));
  const suffix = n > 0 ? `${n + 1}` : "";
  return { zh: `${a[0]}${b[0]}${suffix}村`, en: `${a[1]}${b[1].toLowerCase()}${suffix} Village` };
}

const SURNAMES = [
  "刘",
  "王",
  "李",
  "陈",
  "张",
  "罗",
  "周",
  "谭",
  "彭",
  "曾",
  "邓",
  "欧阳",
  "肖",
  "贺",
  "唐",
  "蒋",
];
const GIVEN = [
  "桂英",
  "秀兰",
  "淑华",
  "冬梅",
  "玉兰",
  "德贵",
  "建国",
  "春花",
  "桂香",
  "秋菊",
  "志强",
  "明",
].concat(["凤英", "小红", "金莲", "长生", "满秀", "玉梅", "福生", "金花", "春林", "运华", "翠兰", "德胜"]);

export function personName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
}

const MOBILE_PREFIXES = [
  "130",
  "131",
  "132",
  "133",
  "135",
  "136",
  "137",
  "138",
  "139",
  "150",
  "151",
  "152",
].concat(["153", "155", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"]);

/** Distinct for every i below 10^8: 48271 is coprime to 10^8, so i → i·48271 mod 10^8 is one-to-one. */
export function phone(i: number, salt = 0): string {
  const eight = (i * 48_271 + 12_345 + salt * 7_777_777) % 100_000_000;
  return MOBILE_PREFIXES[i % MOBILE_PREFIXES.length]! + String(eight).padStart(8, "0");
}

export type Unit = "piece" | "gram" | "ml" | "bag";

export interface ProductFamily {
  sku: string;
  zh: string;
  en: string;
  kind: "produce" | "supply";
  unit: Unit;
  /** Fen per base unit. */
  priceFen: number;
  lot: { min: number; max: number; step: number };
  /** Days from intake to best-before; null for goods that keep. */
  shelfLifeDays: number | null;
  commissionBps: number | null;
}

/** Prices and sizes after the domain brief: ¥2 an egg, ¥15 per 斤 of pickles, ¥150–200 a bag of fertilizer. */
export const FAMILIES: readonly ProductFamily[] = [
  {
    sku: "EGG",
    zh: "土鸡蛋",
    en: "free-range eggs",
    kind: "produce",
    unit: "piece",
    priceFen: 200,
    lot: { min: 30, max: 300, step: 10 },
    shelfLifeDays: 30,
    commissionBps: null,
  },
  {
    sku: "PKL",
    zh: "坛子菜",
    en: "crock pickles",
    kind: "produce",
    unit: "gram",
    priceFen: 3,
    lot: { min: 5_000, max: 50_000, step: 500 },
    shelfLifeDays: 180,
    commissionBps: null,
  },
  {
    sku: "TOFU",
    zh: "豆腐乳",
    en: "fermented tofu",
    kind: "produce",
    unit: "piece",
    priceFen: 1_800,
    lot: { min: 10, max: 80, step: 1 },
    shelfLifeDays: 240,
    commissionBps: 1_200,
  },
  {
    sku: "BEAN",
    zh: "干豆角",
    en: "dried long beans",
    kind: "produce",
    unit: "gram",
    priceFen: 6,
    lot: { min: 2_000, max: 20_000, step: 500 },
    shelfLifeDays: 365,
    commissionBps: null,
  },
  {
    sku: "OIL",
    zh: "茶油",
    en: "camellia oil",
    kind: "produce",
    unit: "ml",
    priceFen: 16,
    lot: { min: 2_500, max: 25_000, step: 500 },
    shelfLifeDays: 540,
    commissionBps: 800,
  },
  {
    sku: "RICE",
    zh: "农家大米",
    en: "farm rice",
    kind: "produce",
    unit: "gram",
    priceFen: 1,
    lot: { min: 25_000, max: 250_000, step: 5_000 },
    shelfLifeDays: 365,
    commissionBps: 800,
  },
  {
    sku: "TEA",
    zh: "云雾茶",
    en: "cloud-mist tea",
    kind: "produce",
    unit: "gram",
    priceFen: 60,
    lot: { min: 500, max: 5_000, step: 250 },
    shelfLifeDays: 540,
    commissionBps: null,
  },
  {
    sku: "SHOOT",
    zh: "春笋",
    en: "spring bamboo shoots",
    kind: "produce",
    unit: "gram",
    priceFen: 2,
    lot: { min: 5_000, max: 40_000, step: 500 },
    shelfLifeDays: 7,
    commissionBps: null,
  },
  {
    sku: "HONEY",
    zh: "土蜂蜜",
    en: "wild honey",
    kind: "produce",
    unit: "piece",
    priceFen: 6_800,
    lot: { min: 2, max: 30, step: 1 },
    shelfLifeDays: 720,
    commissionBps: null,
  },
  {
    sku: "PORK",
    zh: "腊肉",
    en: "smoked pork",
    kind: "produce",
    unit: "gram",
    priceFen: 10,
    lot: { min: 2_000, max: 20_000, step: 500 },
    shelfLifeDays: 180,
    commissionBps: null,
  },
  {
    sku: "CHKN",
    zh: "土鸡",
    en: "free-range chicken",
    kind: "produce",
    unit: "piece",
    priceFen: 12_800,
    lot: { min: 1, max: 12, step: 1 },
    shelfLifeDays: 5,
    commissionBps: null,
  },
  {
    sku: "FERT",
    zh: "复合肥 50kg",
    en: "compound fertilizer 50 kg",
    kind: "supply",
    unit: "bag",
    priceFen: 17_500,
    lot: { min: 20, max: 200, step: 10 },
    shelfLifeDays: null,
    commissionBps: null,
  },
  {
    sku: "SEED",
    zh: "杂交稻种",
    en: "hybrid rice seed",
    kind: "supply",
    unit: "bag",
    priceFen: 4_500,
    lot: { min: 20, max: 300, step: 10 },
    shelfLifeDays: null,
    commissionBps: null,
  },
  {
    sku: "TRAY",
    zh: "育秧盘",
    en: "seedling trays",
    kind: "supply",
    unit: "piece",
    priceFen: 80,
    lot: { min: 200, max: 2_000, step: 100 },
    shelfLifeDays: null,
    commissionBps: null,
  },
  {
    sku: "SPRY",
    zh: "手动喷雾器",
    en: "hand sprayer",
    kind: "supply",
    unit: "piece",
    priceFen: 6_500,
    lot: { min: 5, max: 50, step: 1 },
    shelfLifeDays: null,
    commissionBps: null,
  },
];

const STYLES: ReadonlyArray<readonly [string, string]> = [
  ["", ""],
  ["特级", "premium"],
  ["有机", "organic"],
  ["山区", "mountain"],
  ["古法", "traditional"],
  ["精选", "select"],
  ["家常", "home-style"],
  ["高山", "highland"],
];

export function style(i: number): readonly [string, string] {
  return STYLES[i % STYLES.length]!;
}
