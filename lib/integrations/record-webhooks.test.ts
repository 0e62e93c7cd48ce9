import { describe, expect, it } from "vitest";
import { DEFAULT_RECORD_EVENTS, recordEventNames, recordKindOfEvent } from "@/lib/sync/record-key";
import { parseRecordEventsInput } from "./record-webhooks";

describe("master-data event names (settings)", () => {
  it("accepts the six names in entity.action form", () => {
    const input = { ...DEFAULT_RECORD_EVENTS, "customer.created": " debtor.created " };
    const parsed = parseRecordEventsInput(input);
    expect(parsed).toEqual({
      ok: true,
      names: { ...DEFAULT_RECORD_EVENTS, "customer.created": "debtor.created" },
    });
  });

  it("names each bad field: empty, not entity.action, or the same name twice", () => {
    const parsed = parseRecordEventsInput({
      ...DEFAULT_RECORD_EVENTS,
      "customer.created": "",
      "customer.updated": "customer updated",
      "product_group.updated": "product_group.created",
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual([
      "customer.created",
      "customer.updated",
      "product_group.created",
      "product_group.updated",
    ]);
    expect(parsed.errors["product_group.updated"]).toEqual(["duplicate"]);
  });

  it("maps a received event to its kind under the configured names", () => {
    const names = recordEventNames({ "customer_group.created": "debtor_group.created" });
    expect(recordKindOfEvent(names, "debtor_group.created")).toBe("customer_group");
    expect(recordKindOfEvent(names, "customer_group.created")).toBeNull();
    expect(recordKindOfEvent(names, "product_group.updated")).toBe("product_group");
    expect(recordKindOfEvent(names, "invoice.booked")).toBeNull();
  });
});
