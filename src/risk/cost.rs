//! Denial-of-wallet estimate: for an Internet-reachable HTTP trigger without
//! throttling, a worst-case monthly cost bound — every function behind it
//! running at its concurrency limit (reserved, else the account default),
//! each invocation lasting its full timeout, for a 30-day month — priced
//! with the vendor's published unit prices, kept here as data with the date
//! they were checked. A bound, not a forecast: it tells what an attacker
//! can make you pay before anyone reacts.

use serde::Serialize;

/// When the prices below were checked against the vendors' price lists.
pub const PRICES_CHECKED: &str = "2026-11-01";

/// Seconds in a 30-day month.
pub const SECONDS_PER_MONTH: f64 = 2_592_000.0;

/// Unit prices of one vendor (USD, on-demand, first tier, x86).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Prices {
    pub vendor: &'static str,
    /// Compute per GB-second of configured memory.
    pub per_gb_second: f64,
    /// Per million function invocations.
    pub per_million_invocations: f64,
    /// Per million requests at the HTTP front door (API gateway).
    pub per_million_gateway_requests: f64,
    /// Default concurrency limit of an account / app / service.
    pub default_concurrency: u32,
    pub source: &'static str,
}

/// Price list. Sources: AWS Lambda and API Gateway (REST) pricing pages;
/// Azure Functions consumption plan and API Management consumption tier;
/// Google Cloud Run functions (memory and CPU folded into a GB-second
/// equivalent at 1 vCPU per 2 GiB) and API Gateway.
pub const PRICES: &[Prices] = &[
    Prices {
        vendor: "aws",
        per_gb_second: 0.000_016_666_7,
        per_million_invocations: 0.20,
        per_million_gateway_requests: 3.50,
        default_concurrency: 1000,
        source: "AWS Lambda x86 us-east-1; API Gateway REST first tier",
    },
    Prices {
        vendor: "azure",
        per_gb_second: 0.000_016,
        per_million_invocations: 0.20,
        per_million_gateway_requests: 4.20,
        default_concurrency: 200,
        source: "Azure Functions consumption; API Management consumption",
    },
    Prices {
        vendor: "gcp",
        per_gb_second: 0.000_014_5,
        per_million_invocations: 0.40,
        per_million_gateway_requests: 3.00,
        default_concurrency: 100,
        source: "Cloud Run functions tier 1 (GB-s equivalent); API Gateway",
    },
];

/// Prices for a vendor (generic models are priced like AWS).
pub fn prices(vendor: &str) -> &'static Prices {
    PRICES.iter().find(|p| p.vendor == vendor).unwrap_or(&PRICES[0])
}

/// One function behind the trigger, as priced.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostedFunction {
    pub name: String,
    pub concurrency: u32,
    pub concurrency_is_default: bool,
    pub timeout_s: u32,
    pub memory_mb: u32,
    pub usd_per_month: f64,
}

/// The worst-case monthly bound of one trigger.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DowEstimate {
    pub trigger: String,
    pub usd_per_month: f64,
    pub functions: Vec<CostedFunction>,
    /// One sentence on how the figure was derived.
    pub basis: String,
    pub prices_checked: String,
}

/// Inputs of one function: (name, reserved concurrency, timeout s, memory MB).
pub struct FunctionLimits<'a> {
    pub name: &'a str,
    pub reserved: Option<i64>,
    pub timeout: i64,
    pub memory: i64,
}

/// Prices the worst case of a trigger fanning into `functions`.
pub fn estimate(
    trigger: &str,
    vendor: &str,
    through_gateway: bool,
    functions: &[FunctionLimits],
) -> Option<DowEstimate> {
    if functions.is_empty() {
        return None;
    }
    let p = prices(vendor);
    let account = p.default_concurrency as f64;
    // Unreserved functions share the account pool: together they cannot
    // exceed it, so split it between them.
    let unreserved = functions.iter().filter(|f| f.reserved.map(|r| r <= 0).unwrap_or(true)).count().max(1) as f64;
    let mut out = Vec::new();
    let mut total = 0.0;
    for f in functions {
        let (conc, is_default) = match f.reserved {
            Some(r) if r > 0 => (r as f64, false),
            _ => (account / unreserved, true),
        };
        let timeout = f.timeout.max(1) as f64;
        let memory_gb = f.memory.max(128) as f64 / 1024.0;
        let invocations = conc * SECONDS_PER_MONTH / timeout;
        let compute = conc * memory_gb * SECONDS_PER_MONTH * p.per_gb_second;
        let gateway = if through_gateway { p.per_million_gateway_requests } else { 0.0 };
        let requests = invocations / 1e6 * (p.per_million_invocations + gateway);
        let usd = (compute + requests).round();
        total += usd;
        out.push(CostedFunction {
            name: f.name.to_string(),
            concurrency: conc.round() as u32,
            concurrency_is_default: is_default,
            timeout_s: timeout as u32,
            memory_mb: f.memory.max(128) as u32,
            usd_per_month: usd,
        });
    }
    let parts: Vec<String> = out
        .iter()
        .map(|f| {
            format!(
                "`{}` at {} concurrent{} × {} MB × {} s timeout",
                f.name,
                f.concurrency,
                if f.concurrency_is_default { " (account default)" } else { " (reserved)" },
                f.memory_mb,
                f.timeout_s
            )
        })
        .collect();
    Some(DowEstimate {
        trigger: trigger.to_string(),
        usd_per_month: total,
        functions: out,
        basis: format!(
            "worst case for a 30-day month with {} running flat out, priced at {} ({} prices of {})",
            parts.join(" and "),
            p.source,
            p.vendor,
            PRICES_CHECKED
        ),
        prices_checked: PRICES_CHECKED.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_concurrency_bounds_the_bill() {
        let open =
            estimate("API", "aws", true, &[FunctionLimits { name: "f", reserved: None, timeout: 30, memory: 1024 }])
                .unwrap();
        let capped = estimate(
            "API",
            "aws",
            true,
            &[FunctionLimits { name: "f", reserved: Some(10), timeout: 30, memory: 1024 }],
        )
        .unwrap();
        // 1000 × 1 GB × 2,592,000 s × $0.0000166667 ≈ $43,200 compute + requests.
        assert!((43_000.0..50_000.0).contains(&open.usd_per_month), "{}", open.usd_per_month);
        assert!(capped.usd_per_month * 90.0 < open.usd_per_month * 1.1);
        assert!(open.basis.contains("account default"));
    }

    #[test]
    fn unreserved_functions_share_the_account_pool() {
        let one =
            estimate("API", "aws", false, &[FunctionLimits { name: "a", reserved: None, timeout: 10, memory: 512 }])
                .unwrap();
        let two = estimate(
            "API",
            "aws",
            false,
            &[
                FunctionLimits { name: "a", reserved: None, timeout: 10, memory: 512 },
                FunctionLimits { name: "b", reserved: None, timeout: 10, memory: 512 },
            ],
        )
        .unwrap();
        assert!((one.usd_per_month - two.usd_per_month).abs() <= 2.0);
    }
}
