//! Amendments to amendments through the real server: proposed on an amendment before the
//! committee (not one's own, not on a text that changed since), voted before it, accepted into
//! it, following it when its text moves, lapsing when it is withdrawn; refusals change nothing.
//! On SQLite and PostgreSQL.

use crate::common;
use crate::drafting_api::{
    amend, amendment_row, as_who, backends, current_text, order_of, snapshot, Who, SLUG,
};
use app::drafting::dto::*;
use db::drafting::AmendmentStatus;

fn s(n: i32) -> String {
    n.to_string()
}

/// Trine's submitted amendment ("foster active global"), its number as text, and its page as
/// `reader` sees it.
async fn trines_amendment(
    db: &sea_orm::DatabaseConnection,
    reader: &crate::common::Browser,
) -> (i32, String, AmendmentDetailDto) {
    let parent = amend(
        db,
        "trine@example.org",
        "foster global",
        "foster active global",
    )
    .await;
    let pn = s(parent);
    let seen: AmendmentDetailDto = reader
        .ok("get_amendment", &[("slug", SLUG), ("number", &pn)])
        .await;
    (parent, pn, seen)
}

async fn subjects_to(db: &sea_orm::DatabaseConnection, email: &str) -> Vec<String> {
    crate::notifications::messages_to(db, email)
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_amendment_to_an_amendment_is_voted_first_and_becomes_part_of_it() {
    for (t, app) in backends().await {
        let db = &t.db;
        let committee = as_who(&app, Who::Committee).await;
        let head = as_who(&app, Who::Head).await;
        let delegate = as_who(&app, Who::Delegate).await;
        let organiser = as_who(&app, Who::Organiser).await;

        // Trine's amendment; Jonas amends it
        let (parent, pn, seen) = trines_amendment(db, &delegate).await;
        assert!(seen.can_amend, "a delegate may amend Trine's amendment");
        let own: AmendmentDetailDto = head
            .ok("get_amendment", &[("slug", SLUG), ("number", &pn)])
            .await;
        assert!(!own.can_amend, "its sponsor edits it instead");
        let text = seen.proposed_markdown.replace(
            "foster active global",
            "foster active and responsible global",
        );
        let form = |sha: &str, title: &str, text: &str| -> Vec<(&'static str, String)> {
            vec![
                ("slug", SLUG.into()),
                ("number", pn.clone()),
                ("amended_sha256", sha.into()),
                ("title", title.into()),
                ("rationale", "Responsibility too.".into()),
                ("proposed_markdown", text.into()),
                ("submit", "on".into()),
            ]
        };
        let good = form(&seen.text_sha256, "Responsible as well", &text);
        let pairs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };

        // refusals change nothing
        let before = snapshot(db).await;
        let (st, _) = app
            .browser()
            .call_with("propose_sub_amendment", &pairs(&good))
            .await;
        assert_eq!(st, 401);
        let (st, body) = organiser
            .call_with("propose_sub_amendment", &pairs(&good))
            .await;
        assert_eq!(st, 403, "{body}");
        let r = delegate
            .http
            .post(format!(
                "{}{}",
                delegate.base,
                common::fn_path("propose_sub_amendment")
            ))
            .header("origin", "https://evil.example")
            .form(&good)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "a cross-site form");
        let (st, body) = head.call_with("propose_sub_amendment", &good).await;
        assert_eq!(st, 409, "{body}");
        assert!(body.contains("You sponsor this amendment"), "{body}");
        let stale = form(&"0".repeat(64), "Responsible as well", &text);
        let (st, body) = delegate.call_with("propose_sub_amendment", &stale).await;
        assert_eq!(st, 409, "{body}");
        assert!(
            body.contains(&format!("Amendment {parent} has changed")),
            "{body}"
        );
        let same = form(&seen.text_sha256, "Nothing", &seen.proposed_markdown);
        let (st, body) = delegate.call_with("propose_sub_amendment", &same).await;
        assert_eq!(st, 422, "{body}");
        assert!(body.contains("proposed_markdown"), "{body}");
        let untitled = form(&seen.text_sha256, " ", &text);
        let (st, body) = delegate.call_with("propose_sub_amendment", &untitled).await;
        assert_eq!(st, 422, "{body}");
        assert!(body.contains("\"title\""), "{body}");
        let mut missing = good.clone();
        missing[1].1 = "999".into();
        let (st, _) = delegate.call_with("propose_sub_amendment", &missing).await;
        assert_eq!(st, 404, "an amendment that does not exist");
        assert_eq!(before, snapshot(db).await);

        // proposed: an amendment to amendment `parent`, its diff against that text
        let (st, body) = delegate.call_with("propose_sub_amendment", &good).await;
        assert_eq!(st, 200, "{body}");
        let sub: i32 = serde_json::from_str(&body).unwrap();
        let sn = s(sub);
        let row = amendment_row(db, sub).await;
        assert_eq!(
            row.parent_amendment_id,
            Some(amendment_row(db, parent).await.id)
        );
        let detail: AmendmentDetailDto = committee
            .ok("get_amendment", &[("slug", SLUG), ("number", &sn)])
            .await;
        assert_eq!(detail.amends.as_ref().map(|p| p.number.0), Some(parent));
        assert!(!detail.can_modify, "accepted as proposed");
        let inserted: String = detail
            .diff
            .inline
            .iter()
            .filter(|sp| sp.kind == DiffKind::Inserted)
            .map(|sp| sp.text.clone())
            .collect();
        assert_eq!(inserted.trim(), "and responsible", "{:?}", detail.diff);
        // not itself amendable
        let again = form(
            &detail.text_sha256,
            "Deeper",
            &text.replace("responsible", "accountable"),
        );
        let mut deeper = again.clone();
        deeper[1].1 = sn.clone();
        let (st, body) = head.call_with("propose_sub_amendment", &deeper).await;
        assert_eq!(st, 409, "{body}");
        assert!(
            body.contains("already an amendment to an amendment"),
            "{body}"
        );
        let listed: AmendmentDetailDto = head
            .ok("get_amendment", &[("slug", SLUG), ("number", &pn)])
            .await;
        assert_eq!(
            listed
                .amendments_to_it
                .iter()
                .map(|x| x.number.0)
                .collect::<Vec<_>>(),
            vec![sub]
        );
        let list: AmendmentsDto = head.ok("get_amendments", &[("slug", SLUG)]).await;
        let item = list.amendments.iter().find(|a| a.number.0 == sub).unwrap();
        assert_eq!(item.amends, Some(AmendmentNumber(parent)));

        // the voting order: the amendment to the amendment first, and it stays first
        let v: VotingOrderDto = delegate.ok("get_voting_order", &[("slug", SLUG)]).await;
        assert_eq!(order_of(&v), vec![vec![sub, parent]]);
        assert_eq!(v.passages[0].items[0].amends, Some(AmendmentNumber(parent)));
        assert!(
            v.passages[0]
                .items
                .iter()
                .all(|i| i.collides_with.is_empty()),
            "adopting one does not exclude the other"
        );
        let e = committee
            .fails(
                "move_in_voting_order",
                &[("slug", SLUG), ("number", &pn), ("direction", "up")],
                409,
            )
            .await;
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains(&format!("Amendment {sub} amends amendment {parent}")),
            "{e}"
        );

        // deciding the amendment first is refused while the amendment to it waits
        let before = snapshot(db).await;
        let e = committee
            .fails("accept_amendment", &[("slug", SLUG), ("number", &pn)], 409)
            .await;
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains(&format!("Amendment {sub} amends this amendment")),
            "{e}"
        );
        committee
            .fails(
                "reject_amendment",
                &[("slug", SLUG), ("number", &pn), ("reason", "No.")],
                409,
            )
            .await;
        let e = committee
            .fails(
                "accept_amendment",
                &[
                    ("slug", SLUG),
                    ("number", &sn),
                    ("modified_markdown", "# Other\n"),
                ],
                422,
            )
            .await;
        assert_eq!(e["field"], "modified_markdown");
        delegate
            .fails("accept_amendment", &[("slug", SLUG), ("number", &sn)], 403)
            .await;
        assert_eq!(before, snapshot(db).await);

        // accepted: part of the amendment, no new version
        let (version_before, _) = current_text(db).await;
        let r: AcceptResultDto = committee
            .ok("accept_amendment", &[("slug", SLUG), ("number", &sn)])
            .await;
        assert_eq!(r.amended, Some(AmendmentNumber(parent)));
        assert_eq!(r.status, AmendmentStatus::Accepted);
        assert_eq!(current_text(db).await.0, version_before);
        let p = amendment_row(db, parent).await;
        assert!(p
            .proposed_markdown
            .contains("foster active and responsible global"));
        assert_eq!(p.state(), AmendmentStatus::Submitted);
        let page: AmendmentDetailDto = head
            .ok("get_amendment", &[("slug", SLUG), ("number", &pn)])
            .await;
        assert!(
            page.events.iter().any(|e| e
                .note
                .as_deref()
                .is_some_and(|n| n.contains(&format!("Amended by amendment {sub}")))),
            "{:?}",
            page.events
        );
        // Trine hears that her amendment changed
        let subjects = subjects_to(db, "trine@example.org").await;
        assert!(
            subjects.contains(&format!("Amendment {parent} amended")),
            "{subjects:?}"
        );

        // then the amendment itself, as amended
        let _: AcceptResultDto = committee
            .ok("accept_amendment", &[("slug", SLUG), ("number", &pn)])
            .await;
        assert!(current_text(db)
            .await
            .1
            .contains("foster active and responsible global"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amendments_to_an_amendment_follow_it_and_lapse_with_it() {
    for (t, app) in backends().await {
        let db = &t.db;
        let committee = as_who(&app, Who::Committee).await;
        let head = as_who(&app, Who::Head).await;
        let delegate = as_who(&app, Who::Delegate).await;
        let (parent, pn, seen) = trines_amendment(db, &delegate).await;
        let propose = |text: String, submit: bool| {
            let mut f: Vec<(&'static str, String)> = vec![
                ("slug", SLUG.into()),
                ("number", pn.clone()),
                ("amended_sha256", seen.text_sha256.clone()),
                ("title", "An amendment to it".into()),
                ("proposed_markdown", text),
            ];
            if submit {
                f.push(("submit", "on".into()));
            }
            f
        };
        let submitted = propose(
            seen.proposed_markdown
                .replace("foster active global", "foster active, global"),
            true,
        );
        let sub: i32 = serde_json::from_str(
            &delegate
                .call_with("propose_sub_amendment", &submitted)
                .await
                .1,
        )
        .unwrap();
        let draft_form = propose(
            seen.proposed_markdown
                .replace("that has grown from it", "that has grown from it, fast"),
            false,
        );
        let draft: i32 = serde_json::from_str(
            &delegate
                .call_with("propose_sub_amendment", &draft_form)
                .await
                .1,
        )
        .unwrap();

        // a new version elsewhere: the amendment moves onto it, the one to it follows
        let (v, text) = current_text(db).await;
        let edited = text.replacen("to learning that", "to lifelong learning that", 1);
        let _: serde_json::Value = committee
            .ok(
                "save_declaration",
                &[
                    ("slug", SLUG),
                    ("base_version", &v.to_string()),
                    ("markdown", &edited),
                    ("message", "Lifelong"),
                ],
            )
            .await;
        let p = amendment_row(db, parent).await;
        let sr = amendment_row(db, sub).await;
        assert!(p.proposed_markdown.contains("lifelong learning"));
        assert!(
            sr.proposed_markdown.contains("lifelong learning"),
            "follows the new version"
        );
        assert!(
            sr.proposed_markdown.contains("foster active, global"),
            "keeps its change"
        );
        assert_eq!(
            sr.parent_markdown.as_deref(),
            Some(p.proposed_markdown.as_str())
        );
        assert_eq!(sr.base_version_id, p.base_version_id);

        // Trine edits her amendment where the submitted one changes it: that one needs an update
        let edit = p
            .proposed_markdown
            .replace("foster active global", "foster engaged global");
        let _: serde_json::Value = head
            .ok(
                "update_amendment",
                &[
                    ("slug", SLUG),
                    ("number", &pn),
                    ("base_version", &current_text(db).await.0.to_string()),
                    ("title", &p.title),
                    ("proposed_markdown", &edit),
                ],
            )
            .await;
        let sr = amendment_row(db, sub).await;
        assert_eq!(sr.state(), AmendmentStatus::NeedsUpdate);
        assert!(sr
            .conflict_markdown
            .as_deref()
            .unwrap_or_default()
            .contains("<<<<<<<"));
        // its sponsor resolves it on the amendment's text now
        let page: AmendmentDetailDto = delegate
            .ok("get_amendment", &[("slug", SLUG), ("number", &s(sub))])
            .await;
        let resolved = edit.replace("foster engaged global", "foster engaged, global");
        let _: serde_json::Value = delegate
            .ok(
                "update_amendment",
                &[
                    ("slug", SLUG),
                    ("number", &s(sub)),
                    ("base_version", &current_text(db).await.0.to_string()),
                    ("title", "An amendment to it"),
                    ("proposed_markdown", &resolved),
                    ("amended_sha256", page.amended_sha256.as_deref().unwrap()),
                ],
            )
            .await;
        let sr = amendment_row(db, sub).await;
        assert_eq!(sr.state(), AmendmentStatus::Submitted);
        assert_eq!(sr.proposed_markdown, resolved);

        // withdrawn: the amendment to it before the committee lapses, its sponsor is told; the
        // draft stays its sponsor's own (hidden from others) and can no longer be submitted
        let _: serde_json::Value = head
            .ok("withdraw_amendment", &[("slug", SLUG), ("number", &pn)])
            .await;
        assert_eq!(
            amendment_row(db, sub).await.state(),
            AmendmentStatus::Lapsed
        );
        assert_eq!(
            amendment_row(db, draft).await.state(),
            AmendmentStatus::Draft
        );
        assert!(subjects_to(db, "jonas@example.org")
            .await
            .contains(&format!("Amendment {sub} lapsed")));
        committee
            .fails(
                "get_amendment",
                &[("slug", SLUG), ("number", &s(draft))],
                404,
            )
            .await;
        let e = delegate
            .fails(
                "submit_amendment",
                &[("slug", SLUG), ("number", &s(draft))],
                409,
            )
            .await;
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains(&format!("Amendment {parent} is withdrawn")),
            "{e}"
        );
        // a lapsed one is closed
        delegate
            .fails(
                "withdraw_amendment",
                &[("slug", SLUG), ("number", &s(sub))],
                409,
            )
            .await;
    }
}
