import { describe, expect, it } from "vitest";
import { chooseMailRecipient } from "./mail-recipient";

describe("chooseMailRecipient", () => {
  it.each([
    ["bogholderi@kaffe.dk", { kind: "ok", to: "bogholderi@kaffe.dk", ignored: [] }],
    ["  x@a.dk  ", { kind: "ok", to: "x@a.dk", ignored: [] }],
    ["x@a.dk, y@b.dk", { kind: "ok", to: "x@a.dk", ignored: ["y@b.dk"] }],
    ["x@a.dk;y@b.dk z@c.dk", { kind: "ok", to: "x@a.dk", ignored: ["y@b.dk", "z@c.dk"] }],
    ["kontor, <y@b.dk>", { kind: "ok", to: "y@b.dk", ignored: ["kontor"] }],
    ["kontoret på 1. sal", { kind: "invalid", value: "kontoret på 1. sal" }],
    ["x@", { kind: "invalid", value: "x@" }],
    ["", { kind: "missing" }],
    [undefined, { kind: "missing" }],
  ])("%j → %j", (raw, expected) => {
    expect(chooseMailRecipient(raw)).toEqual(expected);
  });
});
