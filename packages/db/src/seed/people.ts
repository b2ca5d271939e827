import { newId } from "@coop/shared";
import type { consignors, StaffRole, staffUsers } from "../schema";
import { DEMO_SERVICE_POINTS } from "./catalog";
import type { Clock } from "./clock";
import type { Random } from "./random";

export interface DemoLogin {
  login: string;
  password: string;
  role: StaffRole;
  displayName: string;
  /** The service point an agent works for; null for admin and warehouse staff. */
  servicePointCode: string | null;
}

/** "SP-HS01" → "agent-hs01". */
export function agentLoginFor(servicePointCode: string): string {
  return `agent-${servicePointCode.toLowerCase().replace(/^sp-/, "")}`;
}

const AGENT_NAMES = ["刘梅", "谭志勇", "李芳", "彭建军", "陈丽华", "周红"];

/**
 * The demo staff accounts and their passwords. Public on purpose: the README, the tests and the login
 * screen's demo hint cite them. The seed refuses to run in production, so these never guard real data.
 */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    login: "admin",
    password: "admin-demo-2026",
    role: "admin",
    displayName: "王建华（社管理员）",
    servicePointCode: null,
  },
  {
    login: "warehouse",
    password: "warehouse-demo-2026",
    role: "warehouse",
    displayName: "罗刚（仓储配送中心）",
    servicePointCode: null,
  },
  ...DEMO_SERVICE_POINTS.map(
    (point, i): DemoLogin => ({
      login: agentLoginFor(point.code),
      password: "agent-demo-2026",
      role: "agent",
      displayName: `${AGENT_NAMES[i % AGENT_NAMES.length]}（${point.village}代办员）`,
      servicePointCode: point.code,
    }),
  ),
];

export type StaffRow = typeof staffUsers.$inferInsert & { id: string };
export type ConsignorRow = typeof consignors.$inferInsert & { id: string; balanceFen: number };

export interface PlaceRef {
  id: string;
  code: string;
  village: string | null;
}

/** passwordHashes maps each distinct demo password to its hash (hashed once: Argon2 is slow on purpose). */
export function buildStaff(
  coopId: string,
  servicePoints: readonly PlaceRef[],
  passwordHashes: ReadonlyMap<string, string>,
  clock: Clock,
): StaffRow[] {
  return DEMO_LOGINS.map((demo) => {
    const hash = passwordHashes.get(demo.password);
    if (!hash) throw new Error(`No password hash for demo login ${demo.login}`);
    const point = demo.servicePointCode
      ? servicePoints.find((p) => p.code === demo.servicePointCode)
      : undefined;
    if (demo.servicePointCode && !point) throw new Error(`Unknown service point ${demo.servicePointCode}`);
    return {
      id: newId("user"),
      coopId,
      login: demo.login,
      passwordHash: hash,
      displayName: demo.displayName,
      role: demo.role,
      servicePointId: point?.id ?? null,
      createdAt: clock.daysAgo(400),
    };
  });
}

/** Forty villagers; names of the generation that still brings eggs and pickles to the service point. */
const CONSIGNOR_NAMES = [
  "刘桂英",
  "王秀兰",
  "李淑华",
  "陈冬梅",
  "张玉兰",
  "罗德贵",
  "周建国",
  "谭春花",
  "彭桂香",
  "曾秋菊",
  "邓志强",
  "欧阳明",
  "肖凤英",
  "贺小红",
  "唐金莲",
  "蒋长生",
  "廖满秀",
  "谢玉梅",
  "颜福生",
  "旷金花",
  "阳春林",
  "屈运华",
  "宁翠兰",
  "胡德胜",
  "许美玲",
  "文桂芝",
  "朱海军",
  "黄菊香",
  "赵满仓",
  "龙腊梅",
  "蔡永红",
  "雷国平",
  "段秀英",
  "何细妹",
  "尹松林",
  "毛冬生",
  "戴春娥",
  "袁小平",
  "康翠英",
  "向长青",
];

// Prefixes of China Mobile, Unicom and Telecom numbers that villagers commonly hold.
const MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139"]
  .concat(["150", "151", "152", "153", "155", "157", "158", "159"])
  .concat(["180", "181", "182", "183", "185", "186", "187", "188", "189"]);

/** Hands out 11-digit mobile numbers, never the same one twice (phone is unique per co-op). */
export function createPhoneBook(rng: Random): () => string {
  const issued = new Set<string>();
  return () => {
    for (;;) {
      const phone = rng.pick(MOBILE_PREFIXES) + rng.digits(8);
      if (!issued.has(phone)) {
        issued.add(phone);
        return phone;
      }
    }
  };
}

export function buildConsignors(
  coopId: string,
  servicePoints: readonly PlaceRef[],
  nextPhone: () => string,
  rng: Random,
  clock: Clock,
): ConsignorRow[] {
  return CONSIGNOR_NAMES.map((name, i) => {
    // Round-robin, so every service point has six or seven villagers to show.
    const point = servicePoints[i % servicePoints.length]!;
    return {
      id: newId("consignor"),
      coopId,
      name,
      phone: nextPhone(),
      servicePointId: point.id,
      village: point.village,
      showOnProductPages: rng.chance(0.4),
      balanceFen: 0,
      createdAt: clock.daysAgo(rng.int(60, 365)),
    };
  });
}
