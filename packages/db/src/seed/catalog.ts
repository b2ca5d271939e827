import type { BaseUnit } from "@coop/shared";
import type { ProductKind } from "../schema";

/**
 * The demo co-op, its places and its catalog, as plain data tables. Figures follow the domain brief
 * (docs: ¥2 an egg, ¥15 per 斤 of 坛子菜, ¥150–200 a 50 kg bag of compound fertilizer). Prices are fen per
 * base unit and must be whole numbers, so goods sold by weight are priced per gram (3 fen/g = ¥15/斤).
 */

export const DEMO_COOP = {
  code: "HY",
  nameZh: "衡阳市供销合作社",
  nameEn: "Hengyang Supply & Marketing Co-op",
  defaultCommissionBps: 1000,
} as const;

export interface PlaceSpec {
  code: string;
  nameZh: string;
  nameEn: string;
  village: string | null;
  address: string;
  phone: string;
}

export const DEMO_WAREHOUSE: PlaceSpec = {
  code: "WH-HY",
  nameZh: "衡阳市供销合作社仓储配送中心",
  nameEn: "Hengyang Co-op Warehouse & Distribution Centre",
  village: null,
  address: "湖南省衡阳市珠晖区农产品物流园",
  phone: "07348221560",
};

/**
 * Six village service points in Hengshan County (衡山县). Town names are real; the villages are
 * illustrative. Codes are what agents type on the CLI and what intake numbers start with.
 */
export const DEMO_SERVICE_POINTS: readonly PlaceSpec[] = [
  {
    code: "SP-HS01",
    nameZh: "竹山村商务服务点",
    nameEn: "Zhushan Village Service Point",
    village: "竹山村",
    address: "湖南省衡阳市衡山县白果镇竹山村党群服务中心",
    phone: "07345811201",
  },
  {
    code: "SP-HS02",
    nameZh: "枫树村商务服务点",
    nameEn: "Fengshu Village Service Point",
    village: "枫树村",
    address: "湖南省衡阳市衡山县店门镇枫树村党群服务中心",
    phone: "07345811202",
  },
  {
    code: "SP-HS03",
    nameZh: "荷塘村商务服务点",
    nameEn: "Hetang Village Service Point",
    village: "荷塘村",
    address: "湖南省衡阳市衡山县萱洲镇荷塘村党群服务中心",
    phone: "07345811203",
  },
  {
    code: "SP-HS04",
    nameZh: "石门村商务服务点",
    nameEn: "Shimen Village Service Point",
    village: "石门村",
    address: "湖南省衡阳市衡山县岭坡乡石门村党群服务中心",
    phone: "07345811204",
  },
  {
    code: "SP-HS05",
    nameZh: "杉木村商务服务点",
    nameEn: "Shanmu Village Service Point",
    village: "杉木村",
    address: "湖南省衡阳市衡山县开云镇杉木村党群服务中心",
    phone: "07345811205",
  },
  {
    code: "SP-HS06",
    nameZh: "新塘村商务服务点",
    nameEn: "Xintang Village Service Point",
    village: "新塘村",
    address: "湖南省衡阳市衡山县长江镇新塘村党群服务中心",
    phone: "07345811206",
  },
];

/** How big one intake of a product is, in base units: a villager's basket of eggs, a supplier's pallet. */
export interface LotSize {
  min: number;
  max: number;
  /** Weights are recorded to 50 g or 250 g, oil by the 500 ml bottle: quantities come in these steps. */
  step: number;
}

export interface ProductSpec {
  sku: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  kind: ProductKind;
  unit: BaseUnit;
  /** Fen per base unit. */
  priceFen: number;
  /** null = the co-op default (DEMO_COOP.defaultCommissionBps). Always null for farm supplies. */
  commissionBps: number | null;
  /** Days from intake to best-before; set exactly for perishables. */
  shelfLifeDays: number | null;
  lotSize: LotSize;
  /** Low-stock warning level at the warehouse, in base units. */
  lowStockThreshold?: number;
}

type ProduceRow = Omit<ProductSpec, "kind" | "lotSize" | "shelfLifeDays"> & {
  shelfLifeDays?: number;
  lot: [min: number, max: number, step: number];
};

const produce = (row: ProduceRow): ProductSpec => {
  const { lot, shelfLifeDays, ...rest } = row;
  return {
    ...rest,
    kind: "produce",
    shelfLifeDays: shelfLifeDays ?? null,
    lotSize: { min: lot[0], max: lot[1], step: lot[2] },
  };
};

type SupplyRow = Omit<ProductSpec, "kind" | "lotSize" | "shelfLifeDays" | "commissionBps"> & {
  lot: [min: number, max: number, step: number];
};

const supply = (row: SupplyRow): ProductSpec => {
  const { lot, ...rest } = row;
  return {
    ...rest,
    kind: "supply",
    commissionBps: null,
    shelfLifeDays: null,
    lotSize: { min: lot[0], max: lot[1], step: lot[2] },
  };
};

export const DEMO_PRODUCTS: readonly ProductSpec[] = [
  // ---- Produce consigned by villagers -------------------------------------------------------------------
  produce({
    sku: "EGG-TU",
    nameZh: "土鸡蛋",
    nameEn: "Free-range eggs",
    descriptionZh: "村里散养土鸡所产，谷物和野菜喂养，蛋黄色深味香。按枚计价。",
    descriptionEn:
      "Laid by free-range village hens fed on grain and greens; deep-yellow yolks. Priced per egg.",
    unit: "piece",
    priceFen: 200,
    commissionBps: null,
    shelfLifeDays: 30,
    lot: [30, 150, 10],
    lowStockThreshold: 60,
  }),
  produce({
    sku: "EGG-DUCK-SALTED",
    nameZh: "咸鸭蛋",
    nameEn: "Salted duck eggs",
    descriptionZh: "湘江边放养麻鸭所产，黄泥腌制二十天，蛋黄流油起沙。按枚计价。",
    descriptionEn:
      "From ducks raised along the Xiang River, cured in salted clay for twenty days. Priced per egg.",
    unit: "piece",
    priceFen: 250,
    commissionBps: null,
    shelfLifeDays: 45,
    lot: [20, 80, 10],
  }),
  produce({
    sku: "PKL-RADISH",
    nameZh: "坛子菜·萝卜干",
    nameEn: "Crock-pickled dried radish",
    descriptionZh: "农家坛子腌制的萝卜干，香辣脆爽。按克计价（每斤 15 元）。",
    descriptionEn: "Crunchy, spicy dried radish pickled in a farmhouse crock. Priced per gram (¥15 per jin).",
    unit: "gram",
    priceFen: 3,
    commissionBps: 800,
    shelfLifeDays: 120,
    lot: [2500, 12500, 250],
  }),
  produce({
    sku: "PKL-BEAN",
    nameZh: "坛子菜·酸豆角",
    nameEn: "Crock-pickled sour long beans",
    descriptionZh: "新鲜豆角入坛自然发酵，酸辣开胃，炒肉末最好。按克计价（每斤 15 元）。",
    descriptionEn: "Long beans naturally fermented in a crock; sour and spicy, best fried with minced pork.",
    unit: "gram",
    priceFen: 3,
    commissionBps: 800,
    shelfLifeDays: 90,
    lot: [2500, 10000, 250],
  }),
  produce({
    sku: "PKL-MUSTARD",
    nameZh: "坛子菜·腌菜",
    nameEn: "Crock-pickled mustard greens",
    descriptionZh: "芥菜晒软后加盐揉制入坛，咸香下饭。按克计价（每斤 15 元）。",
    descriptionEn: "Sun-wilted mustard greens salted and packed into a crock; a savoury rice companion.",
    unit: "gram",
    priceFen: 3,
    commissionBps: null,
    shelfLifeDays: 120,
    lot: [2500, 10000, 250],
  }),
  produce({
    sku: "PKL-CHILLI",
    nameZh: "剁辣椒",
    nameEn: "Chopped salted chillies",
    descriptionZh: "本地红辣椒手工剁碎，加盐和大蒜腌制。按克计价（每斤 20 元）。",
    descriptionEn: "Local red chillies chopped by hand and cured with salt and garlic. ¥20 per jin.",
    unit: "gram",
    priceFen: 4,
    commissionBps: null,
    shelfLifeDays: 180,
    lot: [2000, 10000, 250],
  }),
  produce({
    sku: "TOFU-FERMENTED",
    nameZh: "豆腐乳",
    nameEn: "Fermented tofu",
    descriptionZh: "手工霉豆腐裹辣椒粉，茶油浸泡，每坛约 500 克。直播带货爆款。",
    descriptionEn: "Hand-made fermented tofu rolled in chilli and kept in camellia oil; about 500 g a jar.",
    unit: "piece",
    priceFen: 2500,
    commissionBps: 1200,
    shelfLifeDays: 180,
    lot: [20, 80, 5],
    lowStockThreshold: 20,
  }),
  produce({
    sku: "OIL-CAMELLIA",
    nameZh: "茶油",
    nameEn: "Camellia oil",
    descriptionZh: "山上油茶籽古法土榨，清香不腻。按毫升计价（每 500 毫升 100 元）。",
    descriptionEn:
      "Pressed from hillside camellia seeds the traditional way. Priced per ml (¥100 per 500 ml).",
    unit: "ml",
    priceFen: 20,
    commissionBps: 800,
    lot: [2500, 15000, 500],
  }),
  produce({
    sku: "RICE-FARM",
    nameZh: "农家大米",
    nameEn: "Farm-grown rice",
    descriptionZh: "一季稻，稻田养鸭少施化肥，当年新米。按克计价（每斤 5 元）。",
    descriptionEn:
      "Single-season rice grown with ducks in the paddy and little chemical fertilizer. ¥5 per jin.",
    unit: "gram",
    priceFen: 1,
    commissionBps: null,
    lot: [25000, 100000, 5000],
  }),
  produce({
    sku: "RICE-RED",
    nameZh: "红米",
    nameEn: "Red rice",
    descriptionZh: "山区梯田种植的红米，口感糯香，适合煮粥。按克计价（每斤 10 元）。",
    descriptionEn: "Red rice from hillside terraces; nutty and soft, good for congee. ¥10 per jin.",
    unit: "gram",
    priceFen: 2,
    commissionBps: null,
    lot: [10000, 50000, 2500],
  }),
  produce({
    sku: "TEA-YUNWU",
    nameZh: "南岳云雾茶",
    nameEn: "Nanyue Yunwu green tea",
    descriptionZh: "南岳衡山脚下的明前绿茶，手工炒制，汤色清亮。按克计价（每斤 300 元）。",
    descriptionEn: "Early spring green tea from the foot of Mount Heng, hand-fired; a clear, bright brew.",
    unit: "gram",
    priceFen: 60,
    commissionBps: 1500,
    lot: [500, 3000, 250],
  }),
  produce({
    sku: "BEAN-DRIED",
    nameZh: "干豆角",
    nameEn: "Dried long beans",
    descriptionZh: "夏天豆角焯水后日晒而成，炖腊肉一绝。按克计价（每斤 40 元）。",
    descriptionEn: "Summer long beans blanched and sun-dried; perfect stewed with smoked pork. ¥40 per jin.",
    unit: "gram",
    priceFen: 8,
    commissionBps: null,
    lot: [1000, 5000, 250],
  }),
  produce({
    sku: "BAMBOO-WINTER",
    nameZh: "冬笋",
    nameEn: "Winter bamboo shoots",
    descriptionZh: "竹山现挖冬笋，鲜嫩清甜，请冷藏尽快食用。按克计价（每斤 10 元）。",
    descriptionEn:
      "Freshly dug winter bamboo shoots, tender and sweet; keep chilled and eat soon. ¥10 per jin.",
    unit: "gram",
    priceFen: 2,
    commissionBps: null,
    shelfLifeDays: 10,
    lot: [5000, 25000, 500],
  }),
  produce({
    sku: "BAMBOO-DRIED",
    nameZh: "笋干",
    nameEn: "Dried bamboo shoots",
    descriptionZh: "春笋煮熟后柴火烘干，泡发后炒肉炖汤。按克计价（每斤 50 元）。",
    descriptionEn:
      "Spring shoots boiled and dried over a wood fire; soak, then stir-fry or stew. ¥50 per jin.",
    unit: "gram",
    priceFen: 10,
    commissionBps: null,
    lot: [1000, 5000, 250],
  }),
  produce({
    sku: "HONEY-JAR",
    nameZh: "土蜂蜜（500 克/瓶）",
    nameEn: "Local honey (500 g jar)",
    descriptionZh: "中华蜂百花蜜，一年只取一次，自然成熟。",
    descriptionEn: "Wildflower honey from native Chinese honeybees, harvested once a year when fully ripe.",
    unit: "piece",
    priceFen: 6800,
    commissionBps: 1200,
    lot: [6, 30, 1],
  }),
  produce({
    sku: "PORK-SMOKED",
    nameZh: "腊肉",
    nameEn: "Smoked pork",
    descriptionZh: "农家土猪五花肉，谷壳柴火熏制一个月。按克计价（每斤 40 元）。",
    descriptionEn:
      "Pork belly from village-raised pigs, smoked over rice husk and wood for a month. ¥40 per jin.",
    unit: "gram",
    priceFen: 8,
    commissionBps: null,
    shelfLifeDays: 120,
    lot: [2500, 12500, 250],
    lowStockThreshold: 5000,
  }),
  produce({
    sku: "FISH-SMOKED",
    nameZh: "腊鱼",
    nameEn: "Smoked fish",
    descriptionZh: "塘里草鱼腌制后烟熏，蒸着吃咸香入味。按克计价（每斤 30 元）。",
    descriptionEn:
      "Pond-raised grass carp, salted and smoked; steam it for a rich, savoury dish. ¥30 per jin.",
    unit: "gram",
    priceFen: 6,
    commissionBps: null,
    shelfLifeDays: 120,
    lot: [2000, 8000, 250],
  }),
  produce({
    sku: "CHICKEN-WHOLE",
    nameZh: "土鸡（整只，冰鲜）",
    nameEn: "Free-range chicken (whole, chilled)",
    descriptionZh: "散养一年以上的土鸡，宰杀后冰鲜配送，按重量计价（每斤 30 元）。",
    descriptionEn: "Village chickens free-ranged for over a year, dressed and chilled. ¥30 per jin.",
    unit: "gram",
    priceFen: 6,
    commissionBps: 1200,
    shelfLifeDays: 5,
    lot: [3000, 9000, 100],
  }),
  produce({
    sku: "CHILLI-DRIED",
    nameZh: "干辣椒",
    nameEn: "Dried red chillies",
    descriptionZh: "本地朝天椒日晒干制，香辣够味。按克计价（每斤 25 元）。",
    descriptionEn: "Local facing-heaven chillies dried in the sun; fragrant and hot. ¥25 per jin.",
    unit: "gram",
    priceFen: 5,
    commissionBps: null,
    lot: [1000, 5000, 250],
  }),
  produce({
    sku: "VERMICELLI-SWEETPOTATO",
    nameZh: "红薯粉丝",
    nameEn: "Sweet-potato vermicelli",
    descriptionZh: "自家红薯磨浆手工漏制，无添加。按克计价（每斤 20 元）。",
    descriptionEn: "Hand-made from home-grown sweet potato starch with nothing added. ¥20 per jin.",
    unit: "gram",
    priceFen: 4,
    commissionBps: null,
    lot: [2500, 10000, 250],
  }),
  produce({
    sku: "PEANUT",
    nameZh: "带壳花生",
    nameEn: "Peanuts in shell",
    descriptionZh: "沙土地种的小籽花生，晒干带壳。按克计价（每斤 10 元）。",
    descriptionEn: "Small-seeded peanuts grown in sandy soil, sun-dried in the shell. ¥10 per jin.",
    unit: "gram",
    priceFen: 2,
    commissionBps: null,
    lot: [5000, 20000, 500],
  }),
  produce({
    sku: "SHIITAKE-DRIED",
    nameZh: "香菇干",
    nameEn: "Dried shiitake mushrooms",
    descriptionZh: "林下段木香菇，柴火烘干，香味浓。按克计价（每斤 80 元）。",
    descriptionEn: "Log-grown shiitake from the woods, dried over a wood fire; deep aroma. ¥80 per jin.",
    unit: "gram",
    priceFen: 16,
    commissionBps: 1200,
    lot: [500, 3000, 250],
  }),
  produce({
    sku: "LOTUS-SEED",
    nameZh: "湘莲子",
    nameEn: "Hunan lotus seeds",
    descriptionZh: "荷塘采摘的白莲，手工去芯，煲汤易粉。按克计价（每斤 50 元）。",
    descriptionEn: "White lotus seeds picked from village ponds and cored by hand; cook soft in soups.",
    unit: "gram",
    priceFen: 10,
    commissionBps: null,
    lot: [1000, 5000, 250],
  }),
  produce({
    sku: "SESAME-BLACK",
    nameZh: "黑芝麻",
    nameEn: "Black sesame seeds",
    descriptionZh: "旱地种植的黑芝麻，颗粒饱满，可磨芝麻糊。按克计价（每斤 20 元）。",
    descriptionEn: "Plump black sesame from dry fields; grind it for sesame paste. ¥20 per jin.",
    unit: "gram",
    priceFen: 4,
    commissionBps: null,
    lot: [1000, 5000, 250],
  }),
  produce({
    sku: "CIBA-RICECAKE",
    nameZh: "糍粑",
    nameEn: "Glutinous rice cakes (ciba)",
    descriptionZh: "糯米蒸熟后石臼打制，每个约 150 克，煎烤皆宜。",
    descriptionEn: "Steamed glutinous rice pounded in a stone mortar; about 150 g each, pan-fry or grill.",
    unit: "piece",
    priceFen: 300,
    commissionBps: null,
    shelfLifeDays: 15,
    lot: [20, 100, 10],
  }),
  produce({
    sku: "GINGER-YOUNG",
    nameZh: "子姜",
    nameEn: "Young ginger",
    descriptionZh: "嫩姜脆嫩少渣，炒鸭、泡姜都好。按克计价（每斤 10 元）。",
    descriptionEn: "Tender young ginger with little fibre; for stir-fried duck or pickling. ¥10 per jin.",
    unit: "gram",
    priceFen: 2,
    commissionBps: null,
    shelfLifeDays: 14,
    lot: [2500, 15000, 500],
  }),

  // ---- Farm supplies bought in by the co-op --------------------------------------------------------------
  supply({
    sku: "FERT-NPK45",
    nameZh: "复合肥（45%，50 公斤/袋）",
    nameEn: "Compound fertilizer 15-15-15 (50 kg bag)",
    descriptionZh: "氮磷钾 15-15-15 通用型复合肥，水稻、蔬菜、果树均可使用。",
    descriptionEn: "General-purpose NPK 15-15-15 compound fertilizer for rice, vegetables and orchards.",
    unit: "bag",
    priceFen: 17500,
    lot: [100, 300, 10],
    lowStockThreshold: 20,
  }),
  supply({
    sku: "FERT-UREA",
    nameZh: "尿素（46%，50 公斤/袋）",
    nameEn: "Urea 46% N (50 kg bag)",
    descriptionZh: "含氮 46% 的颗粒尿素，用作追肥。",
    descriptionEn: "Granular urea, 46% nitrogen, for top-dressing.",
    unit: "bag",
    priceFen: 13500,
    lot: [80, 200, 10],
    lowStockThreshold: 20,
  }),
  supply({
    sku: "FERT-ORGANIC",
    nameZh: "生物有机肥（40 公斤/袋）",
    nameEn: "Bio-organic fertilizer (40 kg bag)",
    descriptionZh: "腐熟畜禽粪便加功能菌，改良板结土壤。",
    descriptionEn: "Composted manure with beneficial microbes; loosens compacted soil.",
    unit: "bag",
    priceFen: 4800,
    lot: [50, 150, 10],
  }),
  supply({
    sku: "SEED-RICE-HYBRID",
    nameZh: "杂交水稻种子（1 公斤/袋）",
    nameEn: "Hybrid rice seed (1 kg bag)",
    descriptionZh: "适合湘南双季晚稻种植的两系杂交稻种，发芽率 85% 以上。",
    descriptionEn:
      "Two-line hybrid rice seed suited to late double-cropping in southern Hunan; ≥85% germination.",
    unit: "bag",
    priceFen: 6800,
    lot: [100, 400, 20],
  }),
  supply({
    sku: "SEED-RICE-EARLY",
    nameZh: "常规早稻种子（5 公斤/袋）",
    nameEn: "Conventional early rice seed (5 kg bag)",
    descriptionZh: "常规早籼稻种，可自留种，适合机插秧。",
    descriptionEn: "Conventional early indica seed; farmers may save seed; suits machine transplanting.",
    unit: "bag",
    priceFen: 4500,
    lot: [50, 200, 10],
  }),
  supply({
    sku: "SEED-VEG-SET",
    nameZh: "蔬菜种子组合装（10 包）",
    nameEn: "Vegetable seed set (10 packets)",
    descriptionZh: "辣椒、茄子、豆角、白菜等十种常见蔬菜种子。",
    descriptionEn: "Ten common vegetables: chilli, aubergine, long bean, pak choi and more.",
    unit: "piece",
    priceFen: 1500,
    lot: [50, 200, 10],
  }),
  supply({
    sku: "TRAY-RICE-434",
    nameZh: "水稻育秧盘（434 孔）",
    nameEn: "Rice seedling tray (434 cells)",
    descriptionZh: "机插秧用塑料育秧盘，可重复使用两到三季。",
    descriptionEn: "Plastic seedling tray for machine transplanting; lasts two to three seasons.",
    unit: "piece",
    priceFen: 150,
    lot: [500, 2000, 100],
    lowStockThreshold: 200,
  }),
  supply({
    sku: "TRAY-VEG-72",
    nameZh: "蔬菜穴盘（72 孔）",
    nameEn: "Vegetable plug tray (72 cells)",
    descriptionZh: "育辣椒、茄子苗用的穴盘。",
    descriptionEn: "Plug tray for raising chilli and aubergine seedlings.",
    unit: "piece",
    priceFen: 80,
    lot: [200, 1000, 100],
  }),
  supply({
    sku: "SPRAYER-MANUAL-16L",
    nameZh: "背负式手动喷雾器（16 升）",
    nameEn: "Knapsack hand sprayer (16 L)",
    descriptionZh: "手摇加压，结构简单，易维修。",
    descriptionEn: "Hand-pumped knapsack sprayer; simple and easy to repair.",
    unit: "piece",
    priceFen: 4500,
    lot: [10, 40, 5],
  }),
  supply({
    sku: "SPRAYER-ELECTRIC-16L",
    nameZh: "背负式电动喷雾器（16 升）",
    nameEn: "Knapsack battery sprayer (16 L)",
    descriptionZh: "锂电池驱动，一次充电可喷约 8 桶水。",
    descriptionEn: "Lithium battery powered; about eight tankfuls per charge.",
    unit: "piece",
    priceFen: 15800,
    lot: [5, 20, 1],
  }),
  supply({
    sku: "TILLER-MINI",
    nameZh: "微耕机（柴油，6 马力）",
    nameEn: "Mini tiller (diesel, 6 hp)",
    descriptionZh: "适合山区小块田地的微型耕整机，含旋耕刀。",
    descriptionEn: "Small walk-behind tiller for terraced plots, rotary blades included.",
    unit: "piece",
    priceFen: 298000,
    lot: [3, 8, 1],
  }),
  supply({
    sku: "FILM-MULCH",
    nameZh: "农用地膜（1.2 米 × 200 米）",
    nameEn: "Mulch film (1.2 m × 200 m roll)",
    descriptionZh: "保温保墒，用于辣椒、花生覆膜种植。",
    descriptionEn: "Keeps soil warm and moist under chillies and peanuts.",
    unit: "piece",
    priceFen: 6500,
    lot: [20, 80, 5],
  }),
  supply({
    sku: "FEED-POULTRY",
    nameZh: "土鸡饲料（40 公斤/袋）",
    nameEn: "Poultry feed (40 kg bag)",
    descriptionZh: "玉米豆粕配合饲料，适合散养土鸡补饲。",
    descriptionEn: "Maize and soybean-meal feed, a supplement for free-range hens.",
    unit: "bag",
    priceFen: 11000,
    lot: [30, 120, 10],
  }),
  supply({
    sku: "HOE-STEEL",
    nameZh: "锄头",
    nameEn: "Steel hoe",
    descriptionZh: "锰钢锄头配杉木柄。",
    descriptionEn: "Manganese-steel hoe with a fir-wood handle.",
    unit: "piece",
    priceFen: 3500,
    lot: [20, 60, 5],
  }),
];

/** Supplies the co-op also keeps at village service points, because villagers buy them there every season. */
export const SUPPLIES_STOCKED_AT_SERVICE_POINTS = [
  "FERT-NPK45",
  "FERT-UREA",
  "TRAY-RICE-434",
  "SEED-VEG-SET",
];

export interface DemoSaleUnit {
  labelZh: string;
  labelEn: string;
  size: number;
  priceFen: number;
  isDefault: boolean;
  sortOrder: number;
  minUnits?: number;
  stepUnits?: number;
}

/** Real co-op prices for the demo's best-known products (issue 11): the first is the default. */
const DEMO_UNITS_BY_SKU: Record<string, Array<Omit<DemoSaleUnit, "isDefault" | "sortOrder">>> = {
  "EGG-TU": [
    { labelZh: "个", labelEn: "egg", size: 1, priceFen: 200 },
    { labelZh: "盒(30个)", labelEn: "box of 30", size: 30, priceFen: 5800 },
  ],
  "PKL-RADISH": [{ labelZh: "斤", labelEn: "jin (500 g)", size: 500, priceFen: 1380 }],
  "PKL-BEAN": [{ labelZh: "斤", labelEn: "jin (500 g)", size: 500, priceFen: 1250 }],
  "OIL-CAMELLIA": [{ labelZh: "瓶(500毫升)", labelEn: "500 ml bottle", size: 500, priceFen: 8800 }],
};

/**
 * How a demo product is sold: its own units where the co-op has real prices, else as migration 0021 turns a
 * price per base unit into a sale unit (个 1; 斤 500 g and 500毫升 at 500 × the price; 袋 1).
 */
export function demoSaleUnits(spec: ProductSpec): DemoSaleUnit[] {
  const own = DEMO_UNITS_BY_SKU[spec.sku];
  const units = own ?? [
    spec.unit === "gram"
      ? { labelZh: "斤", labelEn: "jin (500 g)", size: 500, priceFen: spec.priceFen * 500 }
      : spec.unit === "ml"
        ? { labelZh: "500毫升", labelEn: "500 ml", size: 500, priceFen: spec.priceFen * 500 }
        : spec.unit === "bag"
          ? { labelZh: "袋", labelEn: "bag", size: 1, priceFen: spec.priceFen }
          : { labelZh: "个", labelEn: "piece", size: 1, priceFen: spec.priceFen },
  ];
  return units.map((u, i) => ({ ...u, isDefault: i === 0, sortOrder: i }));
}
