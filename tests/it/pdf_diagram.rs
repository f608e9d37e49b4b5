//! The PDF report's diagram pages: node names broken between word parts,
//! one page when the diagram is readable on it, an overview and tiles when
//! it is not, and a page per critical attack path. Read back page by page
//! with poppler's `pdftotext`.

use crate::pdf::{page_count, pdf_of, pdf_pages as pages};
use threatwright::import::templates;
use threatwright::model::*;
use threatwright::yaml;

/// Index of the page that starts the diagram section.
fn diagram_page(pages: &[String]) -> usize {
    pages.iter().position(|p| p.contains("1 Data-flow diagram") && !p.contains("Contents")).expect("a diagram page")
}

#[test]
fn a_diagram_too_big_for_one_readable_page_gets_an_overview_and_numbered_tiles() {
    let model = crate::testkit::insecure_chains(40);
    let (_, bytes) = pdf_of(&model);
    let pages = pages(&bytes);
    assert_eq!(pages.len(), page_count(&bytes));
    let first = diagram_page(&pages);
    assert!(pages[first].contains("this overview shows the whole diagram"), "{}", pages[first]);
    let tiles: Vec<&String> = pages[first + 1..].iter().take_while(|p| p.contains("Diagram — tile ")).collect();
    let n = tiles.len();
    assert!(n >= 2, "{n} tile pages");
    assert!(pages[first].contains(&format!("the {n} numbered parts")), "the overview announces {n} tiles");
    for (i, page) in tiles.iter().enumerate() {
        assert!(page.contains(&format!("Diagram — tile {} of {n}", i + 1)), "tile page {i}: {page}");
    }
    // Every element is named on some tile.
    let tiled = tiles.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ");
    for e in &model.elements {
        assert!(tiled.contains(&e.name), "{} is on no tile", e.name);
    }
}

#[test]
fn every_template_keeps_its_diagram_on_one_page() {
    for name in templates::names() {
        let model = templates::instantiate(name).expect("template instantiates");
        let (_, bytes) = pdf_of(&model);
        let pages = pages(&bytes);
        let first = diagram_page(&pages);
        assert!(!pages.iter().any(|p| p.contains("Diagram — tile")), "{name} is tiled");
        assert!(pages[first + 1].contains("Risk heat map"), "{name}: the diagram takes more than a page");
    }
}

/// A chain of eight services with long camelCase names: drawn at a small
/// scale, so the names must wrap.
fn long_names() -> Model {
    let names = [
        "CronJobUpdateFunction",
        "OrderProcessingDeadLetterQueue",
        "CustomerNotificationPreferencesTable",
        "InventoryReconciliationWorkerFunction",
        "PaymentProviderWebhookIngestFunction",
        "ShippingLabelRenderingFunction",
        "WarehouseStockLevelsProjectionTable",
        "AuditTrailArchiveBucket",
    ];
    let mut src = String::from("name: Long names\nelements:\n");
    for (i, n) in names.iter().enumerate() {
        let t = ["aws.lambda", "aws.sqs", "aws.dynamodb"][i % 3];
        src.push_str(&format!("  - {{name: {n}, type: {t}}}\n"));
    }
    src.push_str("flows:\n");
    for w in names.windows(2) {
        src.push_str(&format!("  - {{from: {}, to: {}}}\n", w[0], w[1]));
    }
    yaml::parse_model(&src, "long.yaml").expect("model parses")
}

#[test]
fn node_names_break_between_word_parts_never_inside_one() {
    let model = long_names();
    let (_, bytes) = pdf_of(&model);
    let pages = pages(&bytes);
    let page = &pages[diagram_page(&pages)];
    // A word part starts with a capital letter; a piece of a name on the
    // page starts and ends at part boundaries (or ends with the ellipsis).
    let boundary = |name: &str, at: usize| at == 0 || at == name.len() || name[at..].starts_with(char::is_uppercase);
    let mut pieces = 0;
    for token in page.split(' ') {
        let piece = token.trim_end_matches('…');
        if piece.len() < 3 || !piece.starts_with(char::is_uppercase) {
            continue;
        }
        for e in &model.elements {
            if let Some(at) = e.name.find(piece) {
                pieces += 1;
                let ellipsised = token.ends_with('…');
                assert!(boundary(&e.name, at), "{token:?} starts inside a word of {}", e.name);
                assert!(
                    ellipsised || boundary(&e.name, at + piece.len()),
                    "{token:?} ends inside a word of {}",
                    e.name
                );
            }
        }
    }
    assert!(pieces >= model.elements.len(), "the names are on the diagram page: {page}");
    // The element table has every name whole (a long one over two lines).
    let table = pages.iter().position(|p| p.contains("B Elements and properties Elements")).expect("element table");
    let table: String = pages[table].chars().filter(|c| *c != ' ').collect();
    for e in &model.elements {
        assert!(table.contains(&e.name), "{} is not in the element table", e.name);
    }
}

/// An Internet client reaching a card table through an API, a function, a
/// queue and a second function, with bands low enough that the table's
/// threats are critical.
const CRITICAL_PATH: &str = r#"name: Critical path
risk:
  bands: {medium: 2, high: 3, critical: 4}
assets:
  - {name: Cards, classification: restricted, tags: [pci]}
boundaries:
  - {name: Internet, kind: internet}
  - {name: Account, kind: account}
elements:
  - {name: Browser, type: generic.browser, boundary: Internet}
  - {name: PublicOrdersApi, type: aws.apigateway, boundary: Account, properties: {auth: none}}
  - {name: OrderIntakeFunction, type: aws.lambda, boundary: Account, properties: {runtime: python3.8}}
  - {name: OrderEventsQueue, type: aws.sqs, boundary: Account}
  - {name: PaymentCaptureFunction, type: aws.lambda, boundary: Account, data: [Cards]}
  - {name: CardTransactionsTable, type: aws.dynamodb, boundary: Account, data: [Cards]}
flows:
  - {from: Browser, to: PublicOrdersApi, label: POST /orders}
  - {from: PublicOrdersApi, to: OrderIntakeFunction, label: invoke}
  - {from: OrderIntakeFunction, to: OrderEventsQueue, label: SendMessage}
  - {from: OrderEventsQueue, to: PaymentCaptureFunction, label: poll}
  - {from: PaymentCaptureFunction, to: CardTransactionsTable, label: PutItem, data: [Cards]}
"#;

#[test]
fn a_critical_attack_path_gets_a_page_with_its_steps_flows_and_threats() {
    let model = yaml::parse_model(CRITICAL_PATH, "critical.yaml").expect("model parses");
    let (analysis, bytes) = pdf_of(&model);
    let critical: Vec<_> = analysis
        .graph
        .attack_paths
        .iter()
        .filter(|p| p.severity == Some(threatwright::risk::Severity::Critical))
        .collect();
    assert_eq!(critical.len(), 1, "the fixture has one critical path");
    let pages = pages(&bytes);
    let title = "Attack path: Browser → CardTransactionsTable";
    let on: Vec<&String> = pages.iter().filter(|p| p.contains(title) && !p.contains("Contents")).collect();
    assert_eq!(on.len(), 1, "one page for the path");
    let page = on[0];
    for e in &model.elements {
        assert!(page.contains(&e.name), "step {} missing", e.name);
    }
    for label in ["POST /orders", "invoke", "SendMessage", "poll", "PutItem"] {
        assert!(page.contains(label), "flow label {label} missing");
    }
    // The open threats on the path, highest score first.
    assert!(page.contains("Open threats on the path"), "{page}");
    let top = analysis
        .threats
        .iter()
        .filter(|t| critical[0].elements.contains(&t.target.id) || critical[0].flows.contains(&t.target.id))
        .max_by_key(|t| t.score)
        .expect("threats on the path");
    let list = &page[page.find("Open threats on the path").expect("list")..];
    assert!(list.contains(&top.title), "the highest-scoring threat {} is listed", top.title);
    // The contents list the page.
    assert!(pages.iter().any(|p| p.contains("Contents") && p.contains(title)), "contents entry");
}

#[test]
fn without_critical_or_high_paths_there_are_no_attack_path_pages() {
    let src = std::fs::read_to_string(crate::support::root().join("models/examples/orders-service.yaml"))
        .expect("example exists");
    let model = yaml::parse_model(&src, "orders-service.yaml").expect("example parses");
    let (analysis, bytes) = pdf_of(&model);
    assert!(analysis
        .graph
        .attack_paths
        .iter()
        .all(|p| p.severity.is_none_or(|s| s < threatwright::risk::Severity::High)));
    assert!(!pages(&bytes).iter().any(|p| p.contains("Attack path:")));
}

#[test]
fn odd_models_render() {
    // Empty, without flows, with an element the layout never saw.
    let empty = Model::default();
    let (_, bytes) = pdf_of(&empty);
    assert!(page_count(&bytes) >= 3);
    let lonely = yaml::parse_model(
        "name: One\nelements:\n  - {name: ÜberLangerDienstnameOhneUmbruch, type: aws.lambda}\n",
        "one.yaml",
    )
    .expect("model parses");
    let (_, bytes) = pdf_of(&lonely);
    assert!(pages(&bytes).iter().any(|p| p.contains("1 Data-flow diagram")));
}

/// Two accounts side by side, each a 5 × 5 grid of placed services: too
/// wide for one readable page, each account readable on its own.
fn two_accounts() -> Model {
    let mut src = String::from("name: Two accounts\nboundaries:\n");
    for (b, x) in [("Payments account", 40), ("Shipping account", 1440)] {
        src.push_str(&format!(
            "  - {{name: {b}, kind: account, position: {{x: {x}, \"y\": 40}}, size: {{width: 1340, height: 560}}}}\n"
        ));
    }
    src.push_str("elements:\n");
    for (b, x0, prefix) in [("Payments account", 70, "PaymentStep"), ("Shipping account", 1470, "ShippingStep")] {
        for i in 0..25 {
            let (x, y) = (x0 + (i % 5) * 260, 80 + (i / 5) * 104);
            src.push_str(&format!(
                "  - {{name: {prefix}{i}Function, type: aws.lambda, boundary: {b}, position: {{x: {x}, \"y\": {y}}}}}\n"
            ));
        }
    }
    src.push_str("flows:\n  - {from: PaymentStep4Function, to: ShippingStep0Function, label: hand over}\n");
    for i in 0..4 {
        src.push_str(&format!("  - {{from: PaymentStep{i}Function, to: PaymentStep{}Function}}\n", i + 1));
    }
    yaml::parse_model(&src, "two.yaml").expect("model parses")
}

#[test]
fn a_diagram_of_readable_top_level_boundaries_is_split_by_boundary() {
    let model = two_accounts();
    let (_, bytes) = pdf_of(&model);
    let pages = pages(&bytes);
    let first = diagram_page(&pages);
    assert!(pages[first].contains("the 2 numbered parts"), "{}", pages[first]);
    let payments = &pages[first + 1];
    let shipping = &pages[first + 2];
    assert!(payments.contains("Diagram — Payments account (part 1 of 2)"), "{payments}");
    assert!(shipping.contains("Diagram — Shipping account (part 2 of 2)"), "{shipping}");
    // Names may wrap between their parts.
    let joined = |p: &str| p.replace(' ', "");
    let (payments, shipping) = (joined(payments), joined(shipping));
    for e in &model.elements {
        let on = if e.name.starts_with("Payment") { &payments } else { &shipping };
        assert!(on.contains(&e.name), "{} is not on its boundary's page", e.name);
    }
    assert!(!pages.iter().any(|p| p.contains("Diagram — tile")));
}
