/// <reference types="w3c-web-usb" />
/// <reference types="web-bluetooth" />

/**
 * Sending a receipt's ESC/POS bytes from the agent's phone to the point's thermal printer, where the browser
 * can: WebUSB (a printer on a USB-OTG cable) or Web Bluetooth (the common BLE pocket printers). Chrome on
 * Android has both; Safari and most in-app browsers have neither, and then the PDF is the way to print.
 * Everything here is feature-detected: nothing runs on the server or in a browser without the API.
 */

export type PrinterTransport = "usb" | "bluetooth";

type PrinterNavigator = {
  usb?: Pick<USB, "requestDevice">;
  bluetooth?: Pick<Bluetooth, "requestDevice">;
};

/** The ways this browser can reach a printer, best first (USB: no pairing, no packet limit). */
export function printerTransports(nav: PrinterNavigator | undefined): PrinterTransport[] {
  const found: PrinterTransport[] = [];
  if (nav?.usb && typeof nav.usb.requestDevice === "function") found.push("usb");
  if (nav?.bluetooth && typeof nav.bluetooth.requestDevice === "function") found.push("bluetooth");
  return found;
}

/**
 * GATT services that cheap BLE receipt printers use for their "write the ESC/POS stream here" channel
 * (no standard exists): 18F0/2AF1 (most Chinese 58 mm printers), the ISSC transparent UART, FF00/FF02,
 * and the E781… service of another common chipset.
 */
export const BLE_PRINTER_SERVICES = [
  "000018f0-0000-1000-8000-00805f9b34fb",
  "49535343-fe7d-4ae5-8fa9-9fafd205e455",
  "0000ff00-0000-1000-8000-00805f9b34fb",
  "e7810a71-73ae-499d-8c15-faa9aef0c3f2",
] as const;

/** BLE writes are small: 180 bytes fits the usual MTU of these printers (20 is the floor of old ones). */
export const BLE_CHUNK_BYTES = 180;

export function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return parts;
}

/**
 * The receipt's bytes are fetched only after the person picked the printer: the browser opens its device
 * chooser only straight from a tap, and a slow line would otherwise use up that moment.
 */
export type ReceiptBytes = () => Promise<Uint8Array>;

/** USB printer class (7): the printer interface and its bulk OUT endpoint. */
export async function printOverUsb(usb: Pick<USB, "requestDevice">, receipt: ReceiptBytes): Promise<void> {
  const device = await usb.requestDevice({ filters: [{ classCode: 7 }] });
  const bytes = await receipt();
  await device.open();
  try {
    if (device.configuration === null) await device.selectConfiguration(1);
    const found = device.configuration?.interfaces
      .map((iface) => ({
        iface,
        out: iface.alternate.endpoints.find((e) => e.direction === "out" && e.type === "bulk"),
      }))
      .find((candidate) => candidate.out);
    if (!found?.out) throw new Error("This USB device has no printer output.");
    await device.claimInterface(found.iface.interfaceNumber);
    await device.transferOut(found.out.endpointNumber, bytes as Uint8Array<ArrayBuffer>);
    await device.releaseInterface(found.iface.interfaceNumber);
  } finally {
    await device.close();
  }
}

export async function printOverBluetooth(
  bluetooth: Pick<Bluetooth, "requestDevice">,
  receipt: ReceiptBytes,
): Promise<void> {
  const device = await bluetooth.requestDevice({
    acceptAllDevices: true,
    optionalServices: [...BLE_PRINTER_SERVICES],
  });
  const bytes = await receipt();
  const server = await device.gatt?.connect();
  if (!server) throw new Error("The printer did not connect.");
  try {
    let target: BluetoothRemoteGATTCharacteristic | undefined;
    for (const uuid of BLE_PRINTER_SERVICES) {
      const service = await server.getPrimaryService(uuid).catch(() => null);
      if (!service) continue;
      const characteristics = await service.getCharacteristics();
      target = characteristics.find((c) => c.properties.writeWithoutResponse || c.properties.write);
      if (target) break;
    }
    if (!target) throw new Error("This Bluetooth device is not a known receipt printer.");
    for (const part of chunks(bytes, BLE_CHUNK_BYTES)) {
      const data = part.slice() as Uint8Array<ArrayBuffer>;
      if (target.properties.writeWithoutResponse) await target.writeValueWithoutResponse(data);
      else await target.writeValueWithResponse(data);
    }
  } finally {
    server.disconnect();
  }
}

/** The receipt's ESC/POS bytes from the shop (one fetch is one logged copy: a second says 补打). */
export function receiptBytesFrom(url: string): ReceiptBytes {
  return async () => {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`The receipt could not be fetched (${response.status}).`);
    return new Uint8Array(await response.arrayBuffer());
  };
}
