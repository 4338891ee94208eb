import { describe, expect, it } from "vitest";
import { checkDraft } from "./draft-check";
import { planErrorFields } from "./plan-errors";

describe("checkDraft", () => {
  it("accepts what the hub accepts", () => {
    expect(checkDraft({ type: "netns.create", params: { name: "web" } })).toBeNull();
  });

  it("puts each problem on its field, in the schema's own words without the path", () => {
    expect(checkDraft({ type: "netns.create", params: { name: "123" } })).toEqual({
      name: "a stack name is 1-64 of A-Z a-z 0-9 _ . -, not starting with '.', not all digits, not 'initial'",
    });
    const veth = checkDraft({
      type: "veth.create",
      params: { a: { ns: "initial", name: "ok0" }, b: { ns: "initial", name: "bad name" } },
    });
    expect(Object.keys(veth ?? {})).toEqual(["b.name"]);
    const addr = checkDraft({ type: "addr.add", params: { ns: "initial", link: "eth0", address: "10.0.0.1" } });
    expect(addr).toEqual({ address: "expected an address with a prefix, e.g. 10.0.0.1/24" });
  });
});

describe("planErrorFields", () => {
  it("reads the field of a schema refusal from its path, and of a state refusal from its code", () => {
    expect(planErrorFields({ message: "params.address: expected an address" })).toEqual({
      address: "expected an address",
    });
    expect(planErrorFields({ message: 'a stack named "web" exists', data: { appCode: "NAME_TAKEN" } })).toEqual({
      name: 'a stack named "web" exists',
    });
    expect(planErrorFields({ message: "the agent is offline", data: { appCode: null } })).toEqual({
      "": "the agent is offline",
    });
  });
});
