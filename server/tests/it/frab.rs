//! The released programme in the frab schedule format: `schedule.xml` valid against the
//! published XSD (checked by `xmllint`), `schedule.json` against the published JSON schema,
//! GUIDs unique and the same from one request to the next, public to visitors. On SQLite and
//! PostgreSQL.

use crate::common::App;
use db::testing::TestDb;
use std::collections::BTreeSet;
use std::path::PathBuf;

const SLUG: &str = "mexico-city-2015";

fn schema(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas/frab")
        .join(name)
}

/// `xmllint --schema` on the text; its complaint when invalid. `xmllint` comes with Debian's
/// libxml2-utils, which `make test` installs.
fn xsd_errors(xml: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("frab-{}-{}", std::process::id(), rand_tag()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("schedule.xml");
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema("schedule.xml.xsd"))
        .arg(&file)
        .output()
        .expect("xmllint (Debian's libxml2-utils; `make tools-test` installs it)");
    let _ = std::fs::remove_dir_all(&dir);
    (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

fn rand_tag() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// The `guid="…"` values of the events, in document order.
fn event_guids(xml: &str) -> Vec<String> {
    xml.split("<event ")
        .skip(1)
        .filter_map(|e| e.split("guid=\"").nth(1))
        .filter_map(|g| g.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_is_valid_frab_xml_and_json_with_stable_guids() {
    let json_schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema("schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&json_schema).expect("the published JSON schema");
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let visitor = app.browser();

        let (status, headers, xml) = visitor
            .get(&format!("/conferences/{SLUG}/schedule.xml"))
            .await;
        assert_eq!(status, 200, "{xml}");
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml"));
        if let Some(e) = xsd_errors(&xml) {
            panic!(
                "{:?}: schedule.xml does not validate: {e}\n{xml}",
                t.backend
            );
        }
        // the XSD is strict enough to catch a broken file
        let broken = xml.replacen("<duration>", "<duration>x", 1);
        assert!(xsd_errors(&broken).is_some(), "the check can fail");

        // what a conference app reads
        assert!(xml.contains("<acronym>mexico_city_2015</acronym>"), "{xml}");
        assert!(xml.contains("<time_zone_name>America/Mexico_City</time_zone_name>"));
        let forum = xml
            .split("<event ")
            .find(|e| e.contains("<title>Thematic forum 1: How can learning cities foster global citizenship?</title>"))
            .expect("the first thematic forum");
        assert!(forum.contains("<start>16:00</start>"), "{forum}");
        assert!(forum.contains("<duration>01:30</duration>"), "{forum}");
        assert!(
            forum.contains("<date>2015-09-28T16:00:00-05:00</date>"),
            "{forum}"
        );
        assert!(forum.contains("<type>Thematic forum</type>"), "{forum}");
        assert!(forum.contains("<slug>mexico_city_2015-"), "{forum}");

        let guids = event_guids(&xml);
        assert!(!guids.is_empty());
        let unique: BTreeSet<&String> = guids.iter().collect();
        assert_eq!(unique.len(), guids.len(), "one GUID per event");
        let (_, _, again) = visitor
            .get(&format!("/conferences/{SLUG}/schedule.xml"))
            .await;
        assert_eq!(event_guids(&again), guids, "the same GUIDs next time");

        let (status, headers, body) = visitor
            .get(&format!("/conferences/{SLUG}/schedule.json"))
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "schedule.json: {errors:#?}");
        let mut broken = json.clone();
        broken["schedule"]["conference"]["acronym"] = "Not An Acronym".into();
        assert!(!validator.is_valid(&broken), "the check can fail");
        // the same events, by GUID, in both forms
        let mut json_guids: Vec<String> = json["schedule"]["conference"]["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["rooms"].as_object().unwrap().values())
            .flat_map(|events| events.as_array().unwrap())
            .map(|e| e["guid"].as_str().unwrap().to_owned())
            .collect();
        json_guids.sort();
        let mut xml_guids = guids.clone();
        xml_guids.sort();
        assert_eq!(json_guids, xml_guids);

        // an unknown conference: 404
        let (status, _, _) = visitor.get("/conferences/nowhere/schedule.xml").await;
        assert_eq!(status, 404);
    }
}
