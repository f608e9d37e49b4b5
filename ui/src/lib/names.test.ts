// Name parts: breaks only between word parts, never inside one; the parts give the name back.
import { describe, expect, it } from "vitest";
import { nameParts } from "./names";

describe("nameParts", () => {
  it("splits at camelCase, acronym ends and after separators", () => {
    expect(nameParts("OrdersTableStreamProcessor")).toEqual(["Orders", "Table", "Stream", "Processor"]);
    expect(nameParts("HTTPServerFn")).toEqual(["HTTP", "Server", "Fn"]);
    expect(nameParts("orders-api_v2.handler/main")).toEqual(["orders-", "api_", "v2.", "handler/", "main"]);
    expect(nameParts("S3Bucket")).toEqual(["S3", "Bucket"]);
  });

  it("keeps spaces with the word before them and plain words whole", () => {
    expect(nameParts("Lambda function")).toEqual(["Lambda ", "function"]);
    expect(nameParts("DynamoDB table")).toEqual(["Dynamo", "DB ", "table"]);
    expect(nameParts("Internet")).toEqual(["Internet"]);
    expect(nameParts("")).toEqual([]);
  });

  it("never loses or reorders a character", () => {
    for (const n of ["ÄrgerlichLangeFunktion", "a--b__c", "x", "ABC", "order2024Archive", "注文テーブル"]) {
      expect(nameParts(n).join("")).toBe(n);
    }
  });
});
