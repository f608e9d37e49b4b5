// Name parts: breaks only between word parts, never inside one; the parts give the name back.
import { describe, expect, it } from "vitest";
import { clipped, nameParts, shownName } from "./names";

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

describe("shownName", () => {
  it("shows control characters as their pictures and bidi overrides as replacement marks", () => {
    expect(shownName("invoice\u202efdp.exe")).toBe("invoice\ufffdfdp.exe");
    expect(shownName("bell\u0007 tab\tcr\r esc\u001b[31m del\u007f")).toBe("bell\u2407 tab\u2409cr\u240d esc\u241b[31m del\u2421");
    expect(shownName("a\u2066b\u2069c\u200fd")).toBe("a\ufffdb\ufffdc\ufffdd");
  });
  it("leaves every script, markup and emoji as it is", () => {
    const plain = "<script>x</script> العربية עברית 中文 हिन्दी ไทย 🚀 {{7*7}}";
    expect(shownName(plain)).toBe(plain);
  });
});

describe("clipped", () => {
  it("cuts by code points and marks the cut", () => {
    expect(clipped("short", 80)).toBe("short");
    expect(clipped("W".repeat(10_000), 80)).toBe(`${"W".repeat(79)}…`);
    expect(clipped("🚀🚀🚀", 2)).toBe("🚀…");
  });
});
