/**
 * Simplified Chinese: the default language and the reference catalog. Every other catalog must have
 * exactly these keys (the type below enforces it). Plain, short words: many readers are elderly.
 */
export const zhCN = {
  app: {
    name: "供销社农货铺",
    tagline: "村里的好东西，供销社帮您卖",
    loading: "正在加载……",
    skipToContent: "跳到正文",
  },
  language: {
    label: "语言",
    zh: "中文",
    en: "English",
  },
  nav: {
    home: "首页",
    products: "全部商品",
    staffLogin: "工作人员登录",
    staff: "工作人员入口",
    backToProducts: "返回商品列表",
    backHome: "回到首页",
  },
  home: {
    intro:
      "土鸡蛋、坛子菜、茶油，都是村民自家做的。村里服务点收来，供销社检查过再卖。种田用的化肥、种子、农具，这里也有，价钱实在。",
    browse: "看看全部商品",
    featuredTitle: "新鲜农产品",
    featuredEmpty: "现在还没有上架的农产品。",
    featuredUnavailable: "商品暂时看不到，请过一会儿再试。",
    staffTitle: "工作人员",
    staffText: "代办员、仓库和管理人员从这里登录。",
  },
  kinds: {
    all: "全部",
    produce: "农产品",
    supply: "农资",
  },
  products: {
    title: "全部商品",
    searchLabel: "找商品",
    searchPlaceholder: "比如：鸡蛋、茶油、化肥",
    searchButton: "搜索",
    kindLabel: "类别",
    resultsFor: "搜索“{{q}}”的结果",
    empty: "没有找到商品，换个词试试。",
    more: "更多商品",
    firstPage: "回到第一页",
  },
  product: {
    price: "价格",
    stock: "库存",
    perishable: "生鲜食品，请尽快吃完",
    description: "介绍",
    sku: "货号：{{sku}}",
    howToBuy: "网上下单即将推出。现在请到村里的服务点购买。",
  },
  price: {
    perUnit: "/{{unitName}}",
    perQuantity: "/{{quantity}}{{unitName}}",
  },
  stock: {
    inStock: "有货 {{amount, number}}{{unitName}}",
    outOfStock: "缺货",
  },
  staff: {
    login: {
      title: "工作人员登录",
      intro: "请输入您的登录名和密码。",
      loginLabel: "登录名",
      passwordLabel: "密码",
      submit: "登录",
      errors: {
        invalidCredentials: "登录名或密码不对，请再试一次。",
        rateLimited: "试错次数太多了，请等一分钟再试。",
        missingFields: "请填写登录名和密码。",
        unavailable: "系统暂时连不上，请过一会儿再试。",
      },
    },
    console: {
      title: "工作台",
      greeting: "您好，{{name}}",
      role: "身份：{{role}}",
      tilesTitle: "您可以做的事",
      comingSoon: "即将推出",
      logout: "退出登录",
    },
    roles: {
      admin: "管理员",
      warehouse: "仓库人员",
      agent: "商务代办员",
    },
    tiles: {
      products: "商品和价格",
      commissionRules: "佣金规则",
      servicePoints: "服务点",
      staffAccounts: "员工账号",
      reports: "报表",
      receiveCollections: "集货收货",
      stock: "库存（按位置和批次）",
      counts: "盘点和调整",
      pickPack: "拣货打包",
      registerVillager: "登记村民",
      intake: "收村民的货",
      statements: "村民明白账",
      payout: "给村民付款",
      assistedOrder: "帮村民下单",
      pickup: "取货交接",
    },
  },
  errors: {
    code: "错误代码 {{status}}",
    notFound: {
      title: "找不到这个页面",
      text: "这个商品可能已经下架了，或者网址不对。",
    },
    unavailable: {
      title: "系统暂时连不上",
      text: "请过一会儿再试。",
    },
    generic: {
      title: "出错了",
      text: "请回到首页再试一次。",
    },
  },
};

/** The shape every catalog must have: the same keys, any strings. */
export type Catalog = typeof zhCN;
