import { describe, expect, it } from "vitest";
import {
  BLE_CHUNK_BYTES,
  BLE_PRINTER_SERVICES,
  chunks,
  printerTransports,
  printOverBluetooth,
  printOverUsb,
} from "./receipt-printer";

const receipt = Uint8Array.from({ length: 400 }, (_, i) => i % 256);

describe("printing from the agent's phone", () => {
  it("uses USB first, then Bluetooth, and nothing (the PDF) where the browser has neither", () => {
    const request = async () => ({}) as never;
    expect(
      printerTransports({ usb: { requestDevice: request }, bluetooth: { requestDevice: request } }),
    ).toEqual(["usb", "bluetooth"]);
    expect(printerTransports({ bluetooth: { requestDevice: request } })).toEqual(["bluetooth"]);
    expect(printerTransports({})).toEqual([]);
    expect(printerTransports(undefined)).toEqual([]);
  });

  it("cuts the bytes into BLE-sized writes without losing or reordering any", () => {
    const parts = chunks(receipt, BLE_CHUNK_BYTES);
    expect(parts.map((p) => p.length)).toEqual([180, 180, 40]);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(receipt));
  });

  it("writes the whole receipt, in order, to the printer's writable characteristic over Bluetooth", async () => {
    const written: Uint8Array[] = [];
    const events: string[] = [];
    const characteristic = {
      properties: { write: false, writeWithoutResponse: true },
      writeValueWithoutResponse: async (data: Uint8Array) => {
        written.push(data);
      },
    };
    const server = {
      getPrimaryService: async (uuid: string) => {
        if (uuid !== BLE_PRINTER_SERVICES[0]) throw new Error("no such service");
        return { getCharacteristics: async () => [characteristic] };
      },
      disconnect: () => events.push("disconnected"),
    };
    const bluetooth = {
      requestDevice: async (options: RequestDeviceOptions) => {
        events.push("chooser");
        expect(options.optionalServices).toEqual([...BLE_PRINTER_SERVICES]);
        return { gatt: { connect: async () => server } } as unknown as BluetoothDevice;
      },
    };
    await printOverBluetooth(bluetooth, async () => {
      events.push("fetched");
      return receipt;
    });
    // The chooser opens straight from the tap; the bytes (one logged copy) are fetched after a printer is picked.
    expect(events).toEqual(["chooser", "fetched", "disconnected"]);
    expect(Buffer.concat(written)).toEqual(Buffer.from(receipt));
  });

  it("sends the receipt to the USB printer's bulk OUT endpoint, and fetches nothing when no printer is picked", async () => {
    const sent: Array<{ endpoint: number; bytes: number }> = [];
    const iface = {
      interfaceNumber: 0,
      alternate: {
        endpoints: [
          { direction: "in", type: "bulk", endpointNumber: 1 },
          { direction: "out", type: "bulk", endpointNumber: 2 },
        ],
      },
    };
    const device = {
      configuration: { interfaces: [iface] },
      open: async () => {},
      close: async () => {},
      claimInterface: async () => {},
      releaseInterface: async () => {},
      selectConfiguration: async () => {},
      transferOut: async (endpoint: number, data: Uint8Array) => {
        sent.push({ endpoint, bytes: data.length });
        return { status: "ok", bytesWritten: data.length };
      },
    };
    await printOverUsb({ requestDevice: async () => device as unknown as USBDevice }, async () => receipt);
    expect(sent).toEqual([{ endpoint: 2, bytes: 400 }]);

    let fetched = false;
    const cancelled = printOverUsb(
      {
        requestDevice: async () => {
          throw new DOMException("No device selected.", "NotFoundError");
        },
      },
      async () => {
        fetched = true;
        return receipt;
      },
    );
    await expect(cancelled).rejects.toMatchObject({ name: "NotFoundError" });
    expect(fetched).toBe(false);
  });
});
