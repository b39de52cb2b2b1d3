//! Adoption and publication of the declaration, over HTTP on both engines: the organiser's
//! checks, every drafting write refused (409) once the text is adopted, the published page,
//! its downloads and their SHA-256, the public API, and the drafting history made public.

use crate::common;
use app::adoption::dto::*;
use app::drafting::dto::{
    AcceptResultDto, AmendmentsDto, DraftDto, ParagraphTagsDto, SaveResultDto, VersionsDto,
};
use common::{logged_in, App, Browser};
use db::entity::session;
use db::testing::TestDb;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

const SLUG: &str = "mexico-city-2015";

/// A write to try: who, which server function, with what form.
type Write<'a> = (&'a Browser, &'a str, Vec<(&'a str, &'a str)>);

async fn get(b: &Browser, path: &str) -> (u16, Vec<u8>, reqwest::header::HeaderMap) {
    let r = b
        .http
        .get(format!("{}{path}", b.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.bytes().await.unwrap().to_vec(), headers)
}

/// The id of the demo conference's closing session (where the declaration is adopted).
async fn closing_session(db: &sea_orm::DatabaseConnection) -> String {
    let conf = db::queries::conference_by_slug(db, SLUG)
        .await
        .unwrap()
        .unwrap();
    session::Entity::find()
        .filter(session::Column::ConferenceId.eq(conf.id))
        .filter(session::Column::Title.starts_with("Closing"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

/// The final page as served.
async fn final_page_text(b: &Browser) -> String {
    let (_, page, _) = get(b, &format!("/conferences/{SLUG}/declaration/final")).await;
    String::from_utf8(page).unwrap()
}

/// The public API's view of the declaration.
async fn api_declaration(b: &Browser) -> serde_json::Value {
    b.http
        .get(format!("{}/api/v1/conferences/{SLUG}/declaration", b.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The form of an adoption, with `changes` applied over a good one.
fn adoption<'a>(session: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("slug", SLUG),
        ("version", "2"),
        ("date", "2015-09-30"),
        ("place", "Mexico City, Mexico"),
        ("session_id", session),
        ("confirm", "on"),
    ];
    for (k, v) in changes {
        form.retain(|(key, _)| key != k);
        if !v.is_empty() || *k == "session_id" {
            form.push((k, v));
        }
    }
    form
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adopting_freezes_the_text_and_publishing_opens_its_page() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let organiser = logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let committee = logged_in(&app, "committee@example.org", "demo-committee").await;
        let trine = logged_in(&app, "trine@example.org", "demo-delegate").await;
        let visitor = app.browser();
        let closing = closing_session(&t.db).await;
        let beijing = db::queries::conference_by_slug(&t.db, "beijing-2013")
            .await
            .unwrap()
            .unwrap();
        let elsewhere = session::Entity::find()
            .filter(session::Column::ConferenceId.eq(beijing.id))
            .one(&t.db)
            .await
            .unwrap()
            .map(|s| s.id.to_string())
            .unwrap_or_else(|| "999999".into());

        // the drafting that comes before: an amendment accepted (version 2), others pending
        let draft: DraftDto = committee.ok("get_draft", &[("slug", SLUG)]).await;
        let v1 = draft.markdown.clone();
        let propose = |title: &'static str, text: String, submit: bool| {
            let trine = &trine;
            async move {
                let mut form = vec![
                    ("slug", SLUG.to_string()),
                    ("base_version", "1".to_string()),
                    ("title", title.to_string()),
                    ("rationale", "Because.".to_string()),
                    ("proposed_markdown", text),
                ];
                if submit {
                    form.push(("submit", "on".into()));
                }
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                trine.ok::<i32>("propose_amendment", &form).await
            }
        };
        let joy = propose(
            "Joy",
            v1.replace("health and well-being", "health, well-being and joy"),
            true,
        )
        .await;
        committee
            .ok::<AcceptResultDto>(
                "accept_amendment",
                &[("slug", SLUG), ("number", &joy.to_string())],
            )
            .await;
        let pending = propose(
            "Peace",
            v1.replace("global citizenship", "global citizenship and peace"),
            true,
        )
        .await
        .to_string();
        let draft_amendment = propose("Draft", v1.replace("We recognise", "We recall"), false)
            .await
            .to_string();

        // nothing is published yet
        for path in ["final.md", "final.html"] {
            let (s, _, _) = get(&visitor, &format!("/conferences/{SLUG}/declaration/{path}")).await;
            assert_eq!(s, 404, "{path} {:?}", t.backend);
        }
        visitor.fails("get_final", &[("slug", SLUG)], 404).await;
        let e = organiser
            .fails("publish_declaration", &[("slug", SLUG)], 409)
            .await;
        assert!(e["message"].as_str().unwrap().contains("not been adopted"));

        // the organiser's page
        let page: AdoptionDto = organiser.ok("get_adoption", &[("slug", SLUG)]).await;
        assert_eq!(page.versions[0].value, "2");
        assert!(page.versions[0].label.contains("(current)"));
        assert!(page.sessions.iter().any(|s| s.value == closing));
        assert_eq!(
            (
                page.head.conference.start_date.as_str(),
                page.head.conference.end_date.as_str()
            ),
            ("2015-09-28", "2015-09-30")
        );
        assert!(page.adopted.is_none() && !page.published);

        // bad input: a clear 422 on the field, and nothing changes
        let before = common::fingerprint(&t.db).await;
        for (changes, field) in [
            (vec![("confirm", "")], "confirm"),
            (vec![("date", "30/09/2015")], "date"),
            (vec![("date", "2015-10-01")], "date"),
            (vec![("place", "  ")], "place"),
            (vec![("version", "99")], "version"),
            (vec![("session_id", elsewhere.as_str())], "session_id"),
            (vec![("session_id", "closing")], "session_id"),
        ] {
            let e = organiser
                .fails("adopt_declaration", &adoption(&closing, &changes), 422)
                .await;
            assert_eq!(e["field"], field, "{changes:?}: {e}");
            assert!(!e["message"].as_str().unwrap().is_empty());
        }
        // only organisers adopt
        committee
            .fails("adopt_declaration", &adoption(&closing, &[]), 403)
            .await;
        visitor
            .fails("adopt_declaration", &adoption(&closing, &[]), 401)
            .await;
        assert_eq!(common::fingerprint(&t.db).await, before, "{:?}", t.backend);

        // adopted
        organiser
            .ok::<app::dto::Notice>("adopt_declaration", &adoption(&closing, &[]))
            .await;
        let page: AdoptionDto = organiser.ok("get_adoption", &[("slug", SLUG)]).await;
        let adopted = page.adopted.expect("adopted");
        assert_eq!(adopted.version, VersionNumber(2));
        assert_eq!(adopted.date_label, "Wednesday 30 September 2015");
        assert_eq!(adopted.place, "Mexico City, Mexico");
        assert_eq!(
            adopted.session.as_deref(),
            Some("Closing ceremony and adoption of the declaration")
        );
        let again = organiser
            .fails(
                "adopt_declaration",
                &adoption(&closing, &[("version", "1")]),
                409,
            )
            .await;
        assert!(again["message"]
            .as_str()
            .unwrap()
            .contains("already adopted"));

        // from now on every write to the text is refused with 409, and changes nothing
        let before = common::fingerprint(&t.db).await;
        let v2 = v1.replace("health and well-being", "health, well-being and joy");
        let edited = v2.replace("We recognise", "We note");
        let writes: Vec<Write> = vec![
            (
                &committee,
                "save_declaration",
                vec![("slug", SLUG), ("base_version", "2"), ("markdown", &edited)],
            ),
            (
                &trine,
                "propose_amendment",
                vec![
                    ("slug", SLUG),
                    ("base_version", "2"),
                    ("title", "Late"),
                    ("proposed_markdown", &edited),
                ],
            ),
            (
                &trine,
                "update_amendment",
                vec![
                    ("slug", SLUG),
                    ("number", &draft_amendment),
                    ("base_version", "2"),
                    ("title", "Draft, updated"),
                    ("proposed_markdown", &edited),
                ],
            ),
            (
                &trine,
                "submit_amendment",
                vec![("slug", SLUG), ("number", &draft_amendment)],
            ),
            (
                &trine,
                "withdraw_amendment",
                vec![("slug", SLUG), ("number", &pending)],
            ),
            (
                &committee,
                "reject_amendment",
                vec![
                    ("slug", SLUG),
                    ("number", &pending),
                    ("reason", "Too late."),
                ],
            ),
            (
                &committee,
                "accept_amendment",
                vec![("slug", SLUG), ("number", &pending)],
            ),
            (
                &committee,
                "tag_paragraph",
                vec![
                    ("slug", SLUG),
                    ("paragraph", "5"),
                    ("key_features[0]", "P1"),
                ],
            ),
            (
                &committee,
                "comment_amendment",
                vec![("slug", SLUG), ("number", &pending), ("body", "Still?")],
            ),
        ];
        for (who, name, form) in &writes {
            let e = who.fails(name, form, 409).await;
            assert!(
                e["message"].as_str().unwrap().contains("adopted"),
                "{name}: {e}"
            );
        }
        assert_eq!(common::fingerprint(&t.db).await, before, "{:?}", t.backend);

        // adopted, not yet published: the public API says so, and still withholds the text
        let api: serde_json::Value = api_declaration(&visitor).await;
        assert_eq!(api["status"], "adopted");
        assert_eq!(api["adopted_version"], 2);
        assert!(api["markdown"].is_null() && api["final_url"].is_null());

        // published, with a private history
        organiser
            .ok::<app::dto::Notice>("publish_declaration", &[("slug", SLUG)])
            .await;
        let fin: FinalDto = visitor.ok("get_final", &[("slug", SLUG)]).await;
        assert_eq!(
            fin.title,
            "Mexico City Declaration on Sustainable Learning Cities"
        );
        assert_eq!(fin.adopted.version, VersionNumber(2));
        assert!(fin
            .html
            .contains(r#"<div class="para" id="para-1"><span class="para-number">1</span>"#));
        assert!(fin.html.contains("health, well-being and joy"));
        // the page's heading is the title: the text's own "# title" is not shown twice
        assert!(!fin
            .html
            .contains("<h1>Mexico City Declaration on Sustainable Learning Cities</h1>"));
        assert!(!fin.history_public);
        let titles: Vec<(&str, &str)> = fin
            .amendments
            .iter()
            .map(|a| (a.title.as_str(), a.sponsor_name.as_str()))
            .collect();
        assert_eq!(titles, [("Joy", "Trine Bendix Knudsen")]);
        assert_eq!(
            fin.amendments[0].delegation_name.as_deref(),
            Some("Denmark")
        );

        let (s, md, headers) = get(
            &visitor,
            &format!("/conferences/{SLUG}/declaration/final.md"),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(
            md,
            v2.as_bytes(),
            "final.md is the adopted text, byte for byte"
        );
        assert_eq!(hex::encode(Sha256::digest(&md)), fin.sha256);
        assert_eq!(fin.bytes, md.len());
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown"));
        assert_eq!(
            headers["etag"].to_str().unwrap(),
            format!("\"{}\"", fin.sha256)
        );

        let (s, html, _) = get(
            &visitor,
            &format!("/conferences/{SLUG}/declaration/final.html"),
        )
        .await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(
            html.contains("<title>Mexico City Declaration on Sustainable Learning Cities</title>")
        );
        assert!(html.contains("Adopted at Mexico City, Mexico on Wednesday 30 September 2015"));
        assert!(html.contains(&fin.sha256));
        assert!(html.contains("@media print"));
        assert_eq!(html.matches("<h1>").count(), 1, "one title");
        assert!(html.contains("Amendment 1: Joy"));

        let (s, pdf, headers) = get(
            &visitor,
            &format!("/conferences/{SLUG}/declaration/final.pdf"),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(headers["content-type"], "application/pdf");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        let tail = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(64)..]).to_string();
        assert!(tail.trim_end().ends_with("%%EOF"), "{tail}");
        let raw = String::from_utf8_lossy(&pdf);
        // one "/Type/Page/" per page ("/Type/Pages" is the page tree)
        let pages = raw.matches("/Type/Page/").count();
        assert!(
            pages >= 2,
            "the declaration runs over more than one page ({pages})"
        );
        assert!(raw.contains("DejaVuSerif"), "the font is embedded");

        let (s, page, _) = get(&visitor, &format!("/conferences/{SLUG}/declaration/final")).await;
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains(&fin.sha256));
        assert!(page.contains("sha256sum mexico-city-2015-declaration.md"));
        assert!(page.contains("/conferences/mexico-city-2015/declaration/final.pdf"));

        let api: serde_json::Value = api_declaration(&visitor).await;
        assert_eq!(api["status"], "published");
        assert_eq!(api["version"], 2);
        assert_eq!(api["markdown"], v2.as_str());
        assert_eq!(api["sha256"], fin.sha256.as_str());
        assert_eq!(
            api["final_url"],
            "/conferences/mexico-city-2015/declaration/final"
        );

        // the history stays private until the organiser opens it; the appendix does not link
        assert!(!final_page_text(&visitor).await.contains("/amendments/"));
        visitor.fails("get_versions", &[("slug", SLUG)], 401).await;
        visitor
            .fails("get_amendments", &[("slug", SLUG)], 401)
            .await;
        organiser
            .ok::<app::dto::Notice>(
                "publish_declaration",
                &[("slug", SLUG), ("history_public", "on")],
            )
            .await;
        let link = format!("href=\"/conferences/{SLUG}/amendments/{joy}\"");
        let versions: VersionsDto = visitor.ok("get_versions", &[("slug", SLUG)]).await;
        // the appendix links to the amendments now
        assert!(final_page_text(&visitor).await.contains(&link));
        assert_eq!(versions.versions.len(), 2);
        let list: AmendmentsDto = visitor.ok("get_amendments", &[("slug", SLUG)]).await;
        assert!(
            list.amendments.iter().all(|a| a.status.as_str() != "draft"),
            "drafts stay with their sponsors"
        );
        assert!(!list.head.can_edit && !list.head.can_propose && !list.head.can_adopt);
        // still frozen, even for its own page
        visitor
            .fails(
                "comment_amendment",
                &[("slug", SLUG), ("number", &pending), ("body", "Hi")],
                401,
            )
            .await;
        let fin2: FinalDto = visitor.ok("get_final", &[("slug", SLUG)]).await;
        assert!(fin2.history_public);
        assert_eq!(
            fin2.published_at, fin.published_at,
            "the first publication is kept"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_framework_counts_tagged_paragraphs_and_sessions() {
    for t in TestDb::all().await {
        db::seed::load_demo(&t.db).await.expect("demo data");
        let app = App::start(&t.db).await;
        let committee = logged_in(&app, "committee@example.org", "demo-committee").await;
        let trine = logged_in(&app, "trine@example.org", "demo-delegate").await;
        let visitor = app.browser();

        // the committee tags paragraph 5 with C2 and P1 (any order, repeats ignored)
        let tags: ParagraphTagsDto = committee
            .ok(
                "tag_paragraph",
                &[
                    ("slug", SLUG),
                    ("paragraph", "5"),
                    ("key_features[0]", "C2"),
                    ("key_features[1]", "P1"),
                    ("key_features[2]", "C2"),
                ],
            )
            .await;
        assert_eq!(
            (tags.label.as_str(), tags.codes.clone()),
            ("5", vec!["P1".to_string(), "C2".into()])
        );
        // bad input changes nothing
        let before = common::fingerprint(&t.db).await;
        for (form, field, status) in [
            (vec![("paragraph", "99")], "paragraph", 422),
            (vec![("paragraph", "five")], "paragraph", 422),
            (
                vec![("paragraph", "5"), ("key_features[0]", "Z9")],
                "key_features",
                422,
            ),
        ] {
            let mut f = vec![("slug", SLUG)];
            f.extend(form);
            let e = committee.fails("tag_paragraph", &f, status).await;
            assert_eq!(e["field"], field, "{e}");
        }
        trine
            .fails("tag_paragraph", &[("slug", SLUG), ("paragraph", "5")], 403)
            .await;
        assert_eq!(common::fingerprint(&t.db).await, before, "{:?}", t.backend);

        // a paragraph inserted before it: the tag stays with the paragraph
        let draft: DraftDto = committee.ok("get_draft", &[("slug", SLUG)]).await;
        assert_eq!(draft.tags, vec![tags.clone()]);
        let global = "We commit to building learning cities that foster global citizenship";
        let v2 = draft
            .markdown
            .replace(global, &format!("A new paragraph.\n\n{global}"));
        committee
            .ok::<SaveResultDto>(
                "save_declaration",
                &[("slug", SLUG), ("base_version", "1"), ("markdown", &v2)],
            )
            .await;

        // no session serves F3 any more: its area must stand out as empty
        db::entity::session_key_feature::Entity::delete_many()
            .filter(db::entity::session_key_feature::Column::KeyFeatureCode.eq("F3"))
            .exec(&t.db)
            .await
            .unwrap();
        let f: FrameworkDto = visitor.ok("get_framework", &[("slug", SLUG)]).await;
        assert_eq!(f.areas.len(), 12);
        let area = |code: &str| f.areas.iter().find(|a| a.code == code).unwrap().clone();
        let c2 = area("C2");
        assert_eq!(c2.paragraphs.len(), 1);
        assert_eq!(c2.paragraphs[0].label, "5");
        assert_eq!(
            c2.paragraphs[0].href,
            "/conferences/mexico-city-2015/declaration#para-5"
        );
        assert!(
            c2.paragraphs[0].excerpt.is_none(),
            "the draft's words are for participants"
        );
        assert_eq!(area("P1").paragraphs.len(), 1);
        assert!(area("F1").paragraphs.is_empty());
        assert_eq!(f.text_label, "version 2 of the draft");
        // sessions: the demo programme tags Plenary 4 with P3, C1 … (see the seed)
        let tagged_sessions: usize = f.areas.iter().map(|a| a.sessions.len()).sum();
        assert!(tagged_sessions > 0);
        assert!(area("P3")
            .sessions
            .iter()
            .any(|s| s.title.starts_with("Closing ceremony")));
        // a participant reads the words
        let f: FrameworkDto = trine.ok("get_framework", &[("slug", SLUG)]).await;
        let words = f.areas[4].paragraphs[0].excerpt.clone().unwrap_or_default();
        assert!(
            words.starts_with("We commit to learning that contributes to health"),
            "{words}"
        );

        // the page draws the emblem, and areas with nothing stand out
        let (s, page, _) = get(&visitor, &format!("/conferences/{SLUG}/key-features")).await;
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("kf-emblem"));
        assert!(
            page.contains("C2 Re-vitalised learning in families and communities: 1 paragraph"),
            "C2 label"
        );
        let empty = f
            .areas
            .iter()
            .filter(|a| a.paragraphs.is_empty() && a.sessions.is_empty())
            .count();
        assert!(empty >= 1, "F3 is empty");
        assert!(page.contains("kf-empty"));
        assert!(page.contains("Nothing tagged yet:"));
        assert!(page.contains("F3 Mobilisation and utilisation of resources: nothing tagged yet"));

        // the organiser tags the closing session with F3 (and only organisers may)
        let organiser = logged_in(&app, "organiser@example.org", "demo-organiser").await;
        let closing = closing_session(&t.db).await;
        let form = [
            ("slug", SLUG),
            ("session_id", closing.as_str()),
            ("key_features[0]", "F3"),
            ("key_features[1]", "P3"),
        ];
        trine.fails("tag_session", &form, 403).await;
        committee.fails("tag_session", &form, 403).await;
        let bad = [
            ("slug", SLUG),
            ("session_id", closing.as_str()),
            ("key_features[0]", "F4"),
        ];
        organiser.fails("tag_session", &bad, 422).await;
        organiser
            .fails(
                "tag_session",
                &[("slug", SLUG), ("session_id", "999999")],
                404,
            )
            .await;
        let codes: Vec<String> = organiser.ok("tag_session", &form).await;
        assert_eq!(codes, ["P3", "F3"]);
        let f: FrameworkDto = visitor.ok("get_framework", &[("slug", SLUG)]).await;
        let f3 = f.areas.iter().find(|a| a.code == "F3").unwrap();
        assert_eq!(f3.sessions.len(), 1);
        assert!(f3.sessions[0].title.starts_with("Closing"));
        let page: app::public::dto::SessionPageDto = organiser
            .ok("get_session", &[("slug", SLUG), ("id", closing.as_str())])
            .await;
        assert!(page.can_manage);
        let codes: Vec<&str> = page
            .session
            .key_features
            .iter()
            .map(|k| k.code.as_str())
            .collect();
        assert_eq!(codes, ["P3", "F3"]);
        let page: app::public::dto::SessionPageDto = trine
            .ok("get_session", &[("slug", SLUG), ("id", closing.as_str())])
            .await;
        assert!(!page.can_manage);
    }
}
