//! Drafting the declaration on both engines: versions and the merge of stale edits, the
//! amendment workflow with its history, rebasing and flagging of pending amendments, accepting
//! concurrently, the adopted declaration refusing every write, provenance and compilation.

use db::drafting::{
    self, Accepted, AmendmentEdit, AmendmentStatus, DraftingError, Modification, NewAmendment,
    SavedVersion,
};
use db::entity::{amendment, amendment_comment, amendment_event, amendment_sponsor};
use db::entity::{conference_role, declaration, declaration_version, delegation, person};
use db::testing::{person_of, TestDb};
use db::DatabaseConnection;
use domain::ids::{
    AmendmentId, AmendmentNumber, ConferenceId, DeclarationId, DelegationId, PersonId, VersionId,
    VersionNumber,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// Runs one drafting write in its own write transaction and commits it whatever the outcome,
/// so that a refusal that wrote anything would show.
macro_rules! in_txn {
    ($db:expr, |$txn:ident| $body:expr) => {{
        let $txn = db::begin_write($db).await.unwrap();
        let r = $body.await.unwrap();
        $txn.commit().await.unwrap();
        r
    }};
}

const HEALTH: &str = "contributes to health and well-being";
const ENVIRONMENT: &str = "encouraging environmental stewardship";
const UNESCO: &str = "We invite UNESCO to continue";
const RECOGNISE: &str = "We recognise the work done since Beijing";

struct Fx {
    declaration_id: i32,
    v1: declaration_version::Model,
    committee: i32,
    committee2: i32,
    trine: i32,
    mette: i32,
    jonas: i32,
    denmark: i32,
}

async fn fixture(db: &DatabaseConnection) -> Fx {
    db::seed::load_demo(db).await.unwrap();
    let conf = db::queries::conference_by_slug(db, db::seed::DEMO_SLUG)
        .await
        .unwrap()
        .unwrap();
    let (decl, v1) = db::queries::declaration(db, ConferenceId(conf.id))
        .await
        .unwrap()
        .unwrap();
    let v1 = v1.unwrap();
    let denmark = delegation::Entity::find()
        .filter(delegation::Column::ConferenceId.eq(conf.id))
        .filter(delegation::Column::Name.eq("Denmark"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let second = person::ActiveModel {
        name: Set("Second Committee Member".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    conference_role::ActiveModel {
        conference_id: Set(conf.id),
        person_id: Set(second.id),
        role: Set("committee".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    Fx {
        declaration_id: decl.id,
        v1,
        committee: person_of(db, "committee@example.org").await,
        committee2: second.id,
        trine: person_of(db, "trine@example.org").await,
        mette: person_of(db, "mette@example.org").await,
        jonas: person_of(db, "jonas@example.org").await,
        denmark,
    }
}

/// `text` with `phrase` (which must occur once) replaced.
fn edit(text: &str, phrase: &str, by: &str) -> String {
    assert_eq!(
        text.matches(phrase).count(),
        1,
        "{phrase:?} once in the text"
    );
    text.replace(phrase, by)
}

async fn current_text(db: &DatabaseConnection, fx: &Fx) -> declaration_version::Model {
    drafting::current(db, DeclarationId(fx.declaration_id))
        .await
        .unwrap()
        .unwrap()
        .1
}

/// Everything drafting writes, in a comparable form.
async fn snapshot(db: &DatabaseConnection) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        declaration::Entity::find()
            .order_by_asc(declaration::Column::Id)
            .all(db)
            .await
            .unwrap(),
        declaration_version::Entity::find()
            .order_by_asc(declaration_version::Column::Id)
            .all(db)
            .await
            .unwrap(),
        amendment::Entity::find()
            .order_by_asc(amendment::Column::Id)
            .all(db)
            .await
            .unwrap(),
        amendment_event::Entity::find()
            .order_by_asc(amendment_event::Column::Id)
            .all(db)
            .await
            .unwrap(),
        amendment_comment::Entity::find()
            .order_by_asc(amendment_comment::Column::Id)
            .all(db)
            .await
            .unwrap(),
        amendment_sponsor::Entity::find()
            .order_by_asc(amendment_sponsor::Column::AmendmentId)
            .order_by_asc(amendment_sponsor::Column::PersonId)
            .all(db)
            .await
            .unwrap(),
    )
}

async fn save(
    db: &DatabaseConnection,
    fx: &Fx,
    author: i32,
    base: i32,
    text: &str,
) -> Result<SavedVersion, DraftingError> {
    in_txn!(db, |txn| drafting::save_version(
        &*txn,
        DeclarationId(fx.declaration_id),
        PersonId(author),
        VersionId(base),
        text,
        "An edit"
    ))
}

fn new_amendment(sponsor: i32, base: i32, title: &str, text: String, submit: bool) -> NewAmendment {
    NewAmendment {
        sponsor_person_id: PersonId(sponsor),
        sponsor_delegation_id: None,
        base_version_id: VersionId(base),
        title: title.into(),
        rationale: format!("Because of {title}."),
        proposed_markdown: text,
        co_sponsor_person_ids: vec![],
        submit,
    }
}

async fn propose(
    db: &DatabaseConnection,
    fx: &Fx,
    new: NewAmendment,
) -> Result<amendment::Model, DraftingError> {
    in_txn!(db, |txn| drafting::create_amendment(
        &*txn,
        DeclarationId(fx.declaration_id),
        new.clone()
    ))
}

/// A submitted amendment by a Danish delegate, on the current version.
async fn submitted(
    db: &DatabaseConnection,
    fx: &Fx,
    sponsor: i32,
    title: &str,
    phrase: &str,
    by: &str,
) -> amendment::Model {
    let cur = current_text(db, fx).await;
    let mut new = new_amendment(
        sponsor,
        cur.id,
        title,
        edit(&cur.markdown, phrase, by),
        true,
    );
    new.sponsor_delegation_id = Some(DelegationId(fx.denmark));
    propose(db, fx, new).await.unwrap()
}

async fn accept(
    db: &DatabaseConnection,
    id: i32,
    actor: i32,
    modification: Option<Modification>,
) -> Result<Accepted, DraftingError> {
    in_txn!(db, |txn| drafting::accept(
        &*txn,
        AmendmentId(id),
        PersonId(actor),
        modification.clone()
    ))
}

async fn reload(db: &DatabaseConnection, id: i32) -> amendment::Model {
    amendment::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// (from, to, actor) of the amendment's events, oldest first.
async fn history(db: &DatabaseConnection, id: i32) -> Vec<(Option<String>, String, Option<i32>)> {
    drafting::amendment(db, AmendmentId(id))
        .await
        .unwrap()
        .unwrap()
        .events
        .into_iter()
        .map(|e| {
            (
                e.event.from_status,
                e.event.to_status,
                e.event.actor_person_id,
            )
        })
        .collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_owned())
}

// ---------------------------------------------------------------------------------------------
// versions

#[tokio::test]
async fn saving_on_the_current_version_makes_the_next_version() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let text = edit(
            &fx.v1.markdown,
            HEALTH,
            "contributes to health, well-being and joy",
        );
        let saved = save(&t.db, &fx, fx.committee, fx.v1.id, &text)
            .await
            .unwrap();
        let v2 = &saved.version;
        assert!(!saved.merged);
        assert_eq!(saved.rebase, drafting::RebaseSummary::default());
        assert_eq!(
            (v2.number, v2.parent_id, v2.author_person_id),
            (2, Some(fx.v1.id), Some(fx.committee))
        );
        assert_eq!(
            v2.origin(),
            domain::drafting::amendment::VersionSource::DirectEdit
        );
        assert_eq!(v2.markdown, text);
        assert_eq!(v2.sha256, domain::text::sha256_hex(&text));
        assert_eq!(current_text(&t.db, &fx).await.id, v2.id);

        let list = drafting::versions(&t.db, DeclarationId(fx.declaration_id))
            .await
            .unwrap();
        let numbers: Vec<VersionNumber> = list.iter().map(|v| v.number).collect();
        assert_eq!(
            numbers,
            vec![VersionNumber(2), VersionNumber(1)],
            "{:?}",
            t.backend
        );
        assert_eq!(list[0].author_name.as_deref(), Some("Kwame Mensah"));
        assert_eq!(list[0].message, "An edit");
        assert_eq!(
            drafting::version(&t.db, VersionId(v2.id))
                .await
                .unwrap()
                .unwrap()
                .markdown,
            text
        );
    }
}

#[tokio::test]
async fn saving_on_a_stale_version_merges_both_edits() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let first = edit(
            &fx.v1.markdown,
            HEALTH,
            "contributes to health, well-being and joy",
        );
        let v2 = save(&t.db, &fx, fx.committee, fx.v1.id, &first)
            .await
            .unwrap()
            .version;
        // a second editor, who opened version 1, changes another paragraph
        let second = edit(&fx.v1.markdown, UNESCO, "We ask UNESCO to continue");
        let saved = save(&t.db, &fx, fx.committee2, fx.v1.id, &second)
            .await
            .unwrap();
        assert!(saved.merged, "{:?}", t.backend);
        let v3 = saved.version;
        assert_eq!((v3.number, v3.parent_id), (3, Some(v2.id)));
        assert_eq!(
            v3.origin(),
            domain::drafting::amendment::VersionSource::MergedEdit
        );
        assert!(v3.markdown.contains("health, well-being and joy"));
        assert!(v3.markdown.contains("We ask UNESCO to continue"));
        assert_eq!(
            v3.markdown,
            edit(&first, UNESCO, "We ask UNESCO to continue")
        );
    }
}

#[tokio::test]
async fn a_conflicting_stale_save_is_refused_and_writes_nothing() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let first = edit(
            &fx.v1.markdown,
            HEALTH,
            "contributes to health and happiness",
        );
        save(&t.db, &fx, fx.committee, fx.v1.id, &first)
            .await
            .unwrap();
        let before = snapshot(&t.db).await;
        let second = edit(&fx.v1.markdown, HEALTH, "contributes to good health");
        let refused = save(&t.db, &fx, fx.committee2, fx.v1.id, &second).await;
        let Err(DraftingError::Conflict(c)) = refused else {
            panic!("{:?}: expected a conflict, got {refused:?}", t.backend)
        };
        assert_eq!(c.regions.len(), 1);
        assert!(c.with_markers.contains("<<<<<<< ours"));
        assert!(c.with_markers.contains("health and happiness"));
        assert!(c.with_markers.contains("good health"));
        assert_eq!(snapshot(&t.db).await, before, "{:?}", t.backend);
    }
}

#[tokio::test]
async fn an_unchanged_or_invalid_text_is_refused() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let before = snapshot(&t.db).await;
        let v1 = &fx.v1.markdown;
        assert_eq!(
            save(&t.db, &fx, fx.committee, fx.v1.id, v1).await.err(),
            Some(DraftingError::NothingChanged)
        );
        // line ends and a missing final newline are not changes
        let crlf = v1.trim_end().replace('\n', "\r\n");
        assert_eq!(
            save(&t.db, &fx, fx.committee, fx.v1.id, &crlf).await.err(),
            Some(DraftingError::NothingChanged)
        );
        assert!(matches!(
            save(&t.db, &fx, fx.committee, fx.v1.id, " \n\n").await,
            Err(DraftingError::Invalid(_))
        ));
        let huge = "word ".repeat(250_000);
        assert!(matches!(
            save(&t.db, &fx, fx.committee, fx.v1.id, &huge).await,
            Err(DraftingError::Invalid(_))
        ));
        assert_eq!(
            save(&t.db, &fx, fx.committee, 999_999, "Text\n")
                .await
                .err(),
            Some(DraftingError::NoSuchVersion)
        );
        assert_eq!(snapshot(&t.db).await, before, "{:?}", t.backend);

        // the same edit saved again from the old version: merged, it changes nothing
        let text = edit(v1, HEALTH, "contributes to health and happiness");
        save(&t.db, &fx, fx.committee, fx.v1.id, &text)
            .await
            .unwrap();
        assert_eq!(
            save(&t.db, &fx, fx.committee2, fx.v1.id, &text).await.err(),
            Some(DraftingError::NothingChanged)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// amendments

#[tokio::test]
async fn the_amendment_workflow_records_every_transition() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let v1 = &fx.v1;

        // draft → submitted → accepted
        let mut new = new_amendment(
            fx.jonas,
            v1.id,
            "Health and happiness",
            edit(&v1.markdown, HEALTH, "contributes to health and happiness"),
            false,
        );
        new.sponsor_delegation_id = Some(DelegationId(fx.denmark));
        new.co_sponsor_person_ids =
            vec![PersonId(fx.mette), PersonId(fx.mette), PersonId(fx.jonas)];
        let a1 = propose(&t.db, &fx, new).await.unwrap();
        assert_eq!((a1.number, a1.status.as_str()), (1, "draft"));
        assert_eq!(
            (a1.base_version_id, a1.original_base_version_id),
            (v1.id, v1.id)
        );
        let a1 = in_txn!(&t.db, |txn| drafting::submit(
            &*txn,
            AmendmentId(a1.id),
            PersonId(fx.jonas)
        ))
        .unwrap();
        assert_eq!(a1.status, "submitted");
        let c = in_txn!(&t.db, |txn| drafting::comment(
            &*txn,
            AmendmentId(a1.id),
            PersonId(fx.committee),
            "Happiness is hard to measure."
        ))
        .unwrap();
        assert_eq!(c.author_person_id, Some(fx.committee));
        let done = accept(&t.db, a1.id, fx.committee, None).await.unwrap();
        assert_eq!(done.amendment.status, "accepted");
        assert_eq!(done.amendment.merged_version_id, Some(done.version.id));
        let v2 = &done.version;
        assert_eq!(
            (
                v2.number,
                v2.parent_id,
                v2.author_person_id,
                v2.amendment_id
            ),
            (2, Some(v1.id), Some(fx.committee), Some(a1.id))
        );
        assert_eq!(
            v2.origin(),
            domain::drafting::amendment::VersionSource::MergedAmendment
        );
        assert_eq!(v2.message, "Amendment 1: Health and happiness");
        assert!(v2.markdown.contains("health and happiness"));
        assert_eq!(
            history(&t.db, a1.id).await,
            vec![
                (None, "draft".into(), Some(fx.jonas)),
                (s("draft"), "submitted".into(), Some(fx.jonas)),
                (s("submitted"), "accepted".into(), Some(fx.committee)),
            ],
            "{:?}",
            t.backend
        );
        let detail = drafting::amendment(&t.db, AmendmentId(a1.id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(detail.status, AmendmentStatus::Accepted);
        assert_eq!(detail.sponsor.name, "Jonas Holm");
        assert_eq!(detail.delegation.map(|d| d.name), s("Denmark"));
        let co: Vec<i32> = detail.co_sponsors.iter().map(|p| p.id).collect();
        assert_eq!(co, vec![fx.mette]);
        assert_eq!(detail.comments.len(), 1);
        assert_eq!(
            detail.comments[0].author_name.as_deref(),
            Some("Kwame Mensah")
        );
        assert_eq!(detail.events[2].actor_name.as_deref(), Some("Kwame Mensah"));
        // "amends paragraph 5" (the second commitment; headings are not numbered)
        let labels: Vec<Option<String>> = detail
            .touched
            .iter()
            .map(|p| p.label.map(|l| l.to_string()))
            .collect();
        assert_eq!(labels, vec![s("5")]);

        // submitted → rejected, with a reason
        let a2 = submitted(
            &t.db,
            &fx,
            fx.trine,
            "Stewardship",
            ENVIRONMENT,
            "encouraging care",
        )
        .await;
        assert_eq!((a2.number, a2.base_version_id), (2, v2.id));
        assert_eq!(a2.original_base_version_id, v2.id);
        assert!(matches!(
            in_txn!(&t.db, |txn| drafting::reject(
                &*txn,
                AmendmentId(a2.id),
                PersonId(fx.committee),
                "  "
            )),
            Err(DraftingError::Invalid(_))
        ));
        let a2 = in_txn!(&t.db, |txn| drafting::reject(
            &*txn,
            AmendmentId(a2.id),
            PersonId(fx.committee),
            "Out of scope."
        ))
        .unwrap();
        assert_eq!(a2.status, "rejected");
        assert_eq!(a2.decision_reason.as_deref(), Some("Out of scope."));
        assert_eq!(
            history(&t.db, a2.id).await,
            vec![
                (None, "submitted".into(), Some(fx.trine)),
                (s("submitted"), "rejected".into(), Some(fx.committee)),
            ]
        );
        assert_eq!(
            accept(&t.db, a2.id, fx.committee, None).await.err(),
            Some(DraftingError::WrongState {
                from: AmendmentStatus::Rejected,
                to: AmendmentStatus::Accepted
            })
        );

        // draft → withdrawn
        let cur = current_text(&t.db, &fx).await;
        let a3 = propose(
            &t.db,
            &fx,
            new_amendment(
                fx.mette,
                cur.id,
                "UNESCO",
                edit(&cur.markdown, UNESCO, "We ask UNESCO to continue"),
                false,
            ),
        )
        .await
        .unwrap();
        assert_eq!(
            accept(&t.db, a3.id, fx.committee, None).await.err(),
            Some(DraftingError::WrongState {
                from: AmendmentStatus::Draft,
                to: AmendmentStatus::Accepted
            })
        );
        let a3 = in_txn!(&t.db, |txn| drafting::withdraw(
            &*txn,
            AmendmentId(a3.id),
            PersonId(fx.mette)
        ))
        .unwrap();
        assert_eq!(a3.status, "withdrawn");
        let again = in_txn!(&t.db, |txn| drafting::withdraw(
            &*txn,
            AmendmentId(a3.id),
            PersonId(fx.mette)
        ));
        assert_eq!(
            again.as_ref().err().map(ToString::to_string).as_deref(),
            Some("This amendment is withdrawn, so it cannot be withdrawn.")
        );
        assert!(matches!(
            in_txn!(&t.db, |txn| drafting::submit(
                &*txn,
                AmendmentId(a3.id),
                PersonId(fx.mette)
            )),
            Err(DraftingError::WrongState { .. })
        ));
        assert_eq!(
            history(&t.db, a3.id).await,
            vec![
                (None, "draft".into(), Some(fx.mette)),
                (s("draft"), "withdrawn".into(), Some(fx.mette)),
            ]
        );
        // a decided amendment can no longer be edited
        let edited = in_txn!(&t.db, |txn| drafting::update_amendment(
            &*txn,
            AmendmentId(a1.id),
            PersonId(fx.jonas),
            AmendmentEdit {
                base_version_id: VersionId(cur.id),
                title: "x".into(),
                rationale: String::new(),
                proposed_markdown: edit(&cur.markdown, UNESCO, "We ask UNESCO to go on"),
                co_sponsor_person_ids: None,
                amended_sha256: None,
            }
        ));
        assert_eq!(
            edited.err(),
            Some(DraftingError::NotEditable(AmendmentStatus::Accepted))
        );

        let list = drafting::amendments(&t.db, DeclarationId(fx.declaration_id))
            .await
            .unwrap();
        let summary: Vec<(AmendmentNumber, AmendmentStatus)> =
            list.iter().map(|a| (a.number, a.status)).collect();
        assert_eq!(
            summary,
            vec![
                (AmendmentNumber(1), AmendmentStatus::Accepted),
                (AmendmentNumber(2), AmendmentStatus::Rejected),
                (AmendmentNumber(3), AmendmentStatus::Withdrawn)
            ]
        );
        assert_eq!(list[0].co_sponsor_person_ids, vec![PersonId(fx.mette)]);
        assert_eq!(list[0].delegation_name.as_deref(), Some("Denmark"));
        assert_eq!(list[2].sponsor_name, "Mette Lund");
    }
}

#[tokio::test]
async fn amendment_input_is_checked() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let before = snapshot(&t.db).await;
        let v1 = &fx.v1;
        let good = || {
            new_amendment(
                fx.jonas,
                v1.id,
                "Title",
                edit(&v1.markdown, HEALTH, "contributes to health"),
                true,
            )
        };
        let mut unchanged = good();
        unchanged.proposed_markdown = v1.markdown.clone();
        assert_eq!(
            propose(&t.db, &fx, unchanged).await.err(),
            Some(DraftingError::AmendsNothing)
        );
        assert_eq!(
            DraftingError::AmendsNothing.to_string(),
            "The amendment changes nothing."
        );
        let mut untitled = good();
        untitled.title = "   ".into();
        assert!(matches!(
            propose(&t.db, &fx, untitled).await,
            Err(DraftingError::Invalid(_))
        ));
        let mut long_title = good();
        long_title.title = "t".repeat(201);
        assert!(matches!(
            propose(&t.db, &fx, long_title).await,
            Err(DraftingError::Invalid(_))
        ));
        let mut long_rationale = good();
        long_rationale.rationale = "r".repeat(10_001);
        assert!(matches!(
            propose(&t.db, &fx, long_rationale).await,
            Err(DraftingError::Invalid(_))
        ));
        let mut foreign = good();
        foreign.sponsor_delegation_id = Some(DelegationId(999_999));
        assert_eq!(
            propose(&t.db, &fx, foreign).await.err(),
            Some(DraftingError::NoSuchDelegation)
        );
        let mut nobody = good();
        nobody.co_sponsor_person_ids = vec![PersonId(999_999)];
        assert_eq!(
            propose(&t.db, &fx, nobody).await.err(),
            Some(DraftingError::NoSuchPerson)
        );
        assert_eq!(snapshot(&t.db).await, before, "{:?}", t.backend);
        let mut titled = good();
        titled.title = "t".repeat(200);
        propose(&t.db, &fx, titled).await.unwrap();
    }
}

#[tokio::test]
async fn accepting_with_modification() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let a = submitted(
            &t.db,
            &fx,
            fx.trine,
            "Happiness",
            HEALTH,
            "contributes to happiness",
        )
        .await;
        let b = submitted(
            &t.db,
            &fx,
            fx.jonas,
            "UNESCO",
            UNESCO,
            "We ask UNESCO to continue",
        )
        .await;
        // the committee tones the first one down before accepting it
        let modified = edit(
            &fx.v1.markdown,
            HEALTH,
            "contributes to health and happiness",
        );
        let done = accept(
            &t.db,
            a.id,
            fx.committee,
            Some(Modification {
                base_version_id: VersionId(fx.v1.id),
                markdown: modified.clone(),
            }),
        )
        .await
        .unwrap();
        assert_eq!(done.amendment.status, "accepted_with_modification");
        assert_eq!(done.version.markdown, modified, "{:?}", t.backend);
        assert_eq!(done.rebase.rebased, vec![b.id]);
        assert_eq!(
            history(&t.db, a.id).await.last().cloned(),
            Some((
                s("submitted"),
                "accepted_with_modification".into(),
                Some(fx.committee)
            ))
        );
        // a "modification" that is the proposal as it stands is a plain acceptance
        let b = reload(&t.db, b.id).await;
        let done = accept(
            &t.db,
            b.id,
            fx.committee,
            Some(Modification {
                base_version_id: VersionId(b.base_version_id),
                markdown: b.proposed_markdown.clone(),
            }),
        )
        .await
        .unwrap();
        assert_eq!(done.amendment.status, "accepted");
        assert!(done.version.markdown.contains("health and happiness"));
        assert!(done.version.markdown.contains("We ask UNESCO"));
    }
}

#[tokio::test]
async fn accepting_a_conflicting_amendment_is_refused_and_changes_nothing() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let a = submitted(
            &t.db,
            &fx,
            fx.trine,
            "Health",
            HEALTH,
            "contributes to good health",
        )
        .await;
        let b = submitted(
            &t.db,
            &fx,
            fx.jonas,
            "UNESCO",
            UNESCO,
            "We ask UNESCO to continue",
        )
        .await;
        accept(&t.db, a.id, fx.committee, None).await.unwrap();
        let before = snapshot(&t.db).await;
        // a committee member, still looking at version 1, modifies the other amendment in the
        // paragraph the first one changed
        let stale = edit(
            &edit(&fx.v1.markdown, UNESCO, "We ask UNESCO to continue"),
            HEALTH,
            "contributes to health for all",
        );
        let refused = accept(
            &t.db,
            b.id,
            fx.committee2,
            Some(Modification {
                base_version_id: VersionId(fx.v1.id),
                markdown: stale,
            }),
        )
        .await;
        assert!(
            matches!(refused, Err(DraftingError::Conflict(_))),
            "{:?}: {refused:?}",
            t.backend
        );
        assert_eq!(snapshot(&t.db).await, before, "{:?}", t.backend);

        // an amendment left behind on an old base (a version made without rebasing, as
        // another tool might) that collides with the current text is refused too
        let cur = current_text(&t.db, &fx).await;
        let c = submitted(
            &t.db,
            &fx,
            fx.mette,
            "Health 2",
            "good health",
            "better health",
        )
        .await;
        let v = declaration_version::ActiveModel {
            declaration_id: Set(fx.declaration_id),
            number: Set(cur.number + 1),
            parent_id: Set(Some(cur.id)),
            author_person_id: Set(Some(fx.committee)),
            message: Set("outside".into()),
            source: Set("import".into()),
            amendment_id: Set(None),
            markdown: Set(edit(&cur.markdown, "good health", "great health")),
            sha256: Set(String::new()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&t.db)
        .await
        .unwrap();
        declaration::Entity::update_many()
            .col_expr(declaration::Column::CurrentVersionId, Expr::value(v.id))
            .filter(declaration::Column::Id.eq(fx.declaration_id))
            .exec(&t.db)
            .await
            .unwrap();
        let before = snapshot(&t.db).await;
        assert!(matches!(
            accept(&t.db, c.id, fx.committee, None).await,
            Err(DraftingError::Conflict(_))
        ));
        assert_eq!(snapshot(&t.db).await, before, "{:?}", t.backend);
    }
}

#[tokio::test]
async fn colliding_amendments_are_flagged_and_resolved_by_their_sponsor() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let v1 = fx.v1.clone();
        let a = submitted(
            &t.db,
            &fx,
            fx.jonas,
            "Happiness",
            HEALTH,
            "contributes to health and happiness",
        )
        .await;
        let b = submitted(
            &t.db,
            &fx,
            fx.trine,
            "Good health",
            HEALTH,
            "contributes to good health",
        )
        .await;
        let c = submitted(
            &t.db,
            &fx,
            fx.mette,
            "UNESCO",
            UNESCO,
            "We ask UNESCO to continue",
        )
        .await;
        let collisions = drafting::collisions_of_pending(&t.db, DeclarationId(fx.declaration_id))
            .await
            .unwrap();
        assert_eq!(collisions.len(), 1, "{:?}", t.backend);
        assert_eq!((collisions[0].first, collisions[0].second), (a.id, b.id));
        let labels: Vec<Option<String>> = collisions[0]
            .paragraphs
            .iter()
            .map(|p| p.label.map(|l| l.to_string()))
            .collect();
        assert_eq!(labels, vec![s("5")]);

        let done = accept(&t.db, a.id, fx.committee, None).await.unwrap();
        let v2 = done.version;
        assert_eq!(done.rebase.flagged, vec![b.id]);
        assert_eq!(done.rebase.rebased, vec![c.id]);

        // the one touching the same paragraph needs an update; its text is kept as it was
        let b = reload(&t.db, b.id).await;
        assert_eq!(b.status, "needs_update");
        assert_eq!(b.base_version_id, v1.id);
        assert_eq!(b.conflict_version_id, Some(v2.id));
        let markers = b.conflict_markdown.clone().unwrap();
        assert!(markers.contains("<<<<<<< ours") && markers.contains(">>>>>>> theirs"));
        assert!(markers.contains("health and happiness") && markers.contains("good health"));
        assert_eq!(
            history(&t.db, b.id).await.last().cloned(),
            Some((s("submitted"), "needs_update".into(), Some(fx.committee)))
        );
        // the one elsewhere moved onto the new version, its first base on record
        let c = reload(&t.db, c.id).await;
        assert_eq!(c.status, "submitted");
        assert_eq!(
            (c.base_version_id, c.original_base_version_id),
            (v2.id, v1.id)
        );
        assert_eq!(
            c.proposed_markdown,
            edit(&v2.markdown, UNESCO, "We ask UNESCO to continue")
        );
        assert!(
            drafting::collisions_of_pending(&t.db, DeclarationId(fx.declaration_id))
                .await
                .unwrap()
                .is_empty()
        );

        // it cannot be accepted or resubmitted as it stands
        assert_eq!(
            accept(&t.db, b.id, fx.committee, None).await.err(),
            Some(DraftingError::NeedsUpdate)
        );
        assert_eq!(
            in_txn!(&t.db, |txn| drafting::submit(
                &*txn,
                AmendmentId(b.id),
                PersonId(fx.trine)
            ))
            .err(),
            Some(DraftingError::NeedsUpdate)
        );

        // meanwhile the committee edits another paragraph
        let v3 = save(
            &t.db,
            &fx,
            fx.committee,
            v2.id,
            &edit(
                &v2.markdown,
                RECOGNISE,
                "We welcome the work done since Beijing",
            ),
        )
        .await
        .unwrap()
        .version;

        // the sponsor resolves the conflict shown on version 2: merged onto version 3
        let resolved = edit(
            &v2.markdown,
            "contributes to health and happiness",
            "contributes to good health and happiness",
        );
        let b = in_txn!(&t.db, |txn| drafting::update_amendment(
            &*txn,
            AmendmentId(b.id),
            PersonId(fx.trine),
            AmendmentEdit {
                base_version_id: VersionId(b.conflict_version_id.unwrap()),
                title: "Good health".into(),
                rationale: "Resolved.".into(),
                proposed_markdown: resolved.clone(),
                co_sponsor_person_ids: Some(vec![PersonId(fx.mette)]),
                amended_sha256: None,
            }
        ))
        .unwrap();
        assert_eq!(b.status, "submitted", "{:?}", t.backend);
        assert_eq!(b.base_version_id, v3.id);
        assert_eq!(
            (b.conflict_markdown.clone(), b.conflict_version_id),
            (None, None)
        );
        assert!(b.proposed_markdown.contains("We welcome the work"));
        assert!(b.proposed_markdown.contains("good health and happiness"));
        assert_eq!(
            history(&t.db, b.id).await.last().cloned(),
            Some((s("needs_update"), "submitted".into(), Some(fx.trine)))
        );

        // and the committee accepts it with a modification
        let modified = edit(
            &v3.markdown,
            "contributes to health and happiness",
            "contributes to good health, well-being and happiness",
        );
        let done = accept(
            &t.db,
            b.id,
            fx.committee,
            Some(Modification {
                base_version_id: VersionId(v3.id),
                markdown: modified.clone(),
            }),
        )
        .await
        .unwrap();
        assert_eq!(done.amendment.status, "accepted_with_modification");
        assert_eq!(done.version.markdown, modified);
        assert_eq!(done.rebase.rebased, vec![c.id]);
        let c = reload(&t.db, c.id).await;
        assert_eq!(
            (c.base_version_id, c.original_base_version_id),
            (done.version.id, v1.id)
        );
        let final_text = accept(&t.db, c.id, fx.committee, None)
            .await
            .unwrap()
            .version
            .markdown;
        for words in [
            "good health, well-being and happiness",
            "We welcome the work",
            "We ask UNESCO",
        ] {
            assert!(final_text.contains(words), "{words:?} in the final text");
        }
    }
}

#[tokio::test]
async fn a_draft_a_new_version_collides_with_stays_a_private_draft() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let a = submitted(
            &t.db,
            &fx,
            fx.jonas,
            "A",
            HEALTH,
            "contributes to happiness",
        )
        .await;
        let d = propose(
            &t.db,
            &fx,
            new_amendment(
                fx.trine,
                fx.v1.id,
                "D",
                edit(&fx.v1.markdown, HEALTH, "contributes to good health"),
                false,
            ),
        )
        .await
        .unwrap();
        let v2 = accept(&t.db, a.id, fx.committee, None)
            .await
            .unwrap()
            .version;
        // it stays a draft ("needs update" is public; a draft is its sponsors' own), holding
        // its conflict, shown on the new version, with an event for its sponsor
        let held = reload(&t.db, d.id).await;
        assert_eq!(held.status, "draft", "{:?}", t.backend);
        assert!(held
            .conflict_markdown
            .as_deref()
            .is_some_and(|m| m.contains("<<<<<<<")));
        assert_eq!(held.conflict_version_id, Some(v2.id));
        assert_eq!(
            history(&t.db, d.id).await.last().cloned(),
            Some((Some("draft".into()), "draft".into(), Some(fx.committee)))
        );
        // it cannot be submitted until the conflict is resolved; the refusal changes nothing
        let before = snapshot(&t.db).await;
        assert_eq!(
            in_txn!(&t.db, |txn| drafting::submit(
                &*txn,
                AmendmentId(d.id),
                PersonId(fx.trine)
            ))
            .err(),
            Some(DraftingError::NeedsUpdate)
        );
        assert_eq!(snapshot(&t.db).await, before);
        let d = in_txn!(&t.db, |txn| drafting::update_amendment(
            &*txn,
            AmendmentId(d.id),
            PersonId(fx.trine),
            AmendmentEdit {
                base_version_id: VersionId(v2.id),
                title: "D".into(),
                rationale: String::new(),
                proposed_markdown: edit(
                    &v2.markdown,
                    "contributes to happiness",
                    "contributes to good happiness"
                ),
                co_sponsor_person_ids: None,
                amended_sha256: None,
            }
        ))
        .unwrap();
        assert_eq!(d.status, "draft", "{:?}", t.backend);
        assert_eq!((d.conflict_markdown, d.conflict_version_id), (None, None));
        // a resolution that still collides with the current text is refused
        let v3 = save(
            &t.db,
            &fx,
            fx.committee,
            v2.id,
            &edit(
                &v2.markdown,
                "contributes to happiness",
                "contributes to joy",
            ),
        )
        .await
        .unwrap();
        assert_eq!(v3.rebase.flagged, vec![d.id]);
        let before = snapshot(&t.db).await;
        let refused = in_txn!(&t.db, |txn| drafting::update_amendment(
            &*txn,
            AmendmentId(d.id),
            PersonId(fx.trine),
            AmendmentEdit {
                base_version_id: VersionId(v2.id),
                title: "D".into(),
                rationale: String::new(),
                proposed_markdown: edit(
                    &v2.markdown,
                    "contributes to happiness",
                    "contributes to bliss"
                ),
                co_sponsor_person_ids: None,
                amended_sha256: None,
            }
        ));
        assert!(matches!(refused, Err(DraftingError::Conflict(_))));
        assert_eq!(snapshot(&t.db).await, before);
    }
}

// ---------------------------------------------------------------------------------------------
// concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_committee_members_accepting_at_the_same_moment_both_land() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        for round in 0..5 {
            let before = current_text(&t.db, &fx).await;
            let health = format!("{HEALTH} [round {round}]");
            let unesco = format!("{UNESCO} [round {round}]");
            let a = submitted(&t.db, &fx, fx.jonas, "A", HEALTH, &health).await;
            let b = submitted(&t.db, &fx, fx.trine, "B", UNESCO, &unesco).await;
            let mut tasks = Vec::new();
            for (id, actor) in [(a.id, fx.committee), (b.id, fx.committee2)] {
                let db = t.db.clone();
                tasks.push(tokio::spawn(async move {
                    let txn = db::begin_write(&db).await?;
                    let r = drafting::accept(&*txn, AmendmentId(id), PersonId(actor), None).await?;
                    txn.commit().await?;
                    Ok::<_, sea_orm::DbErr>(r)
                }));
            }
            let mut made = Vec::new();
            for task in tasks {
                let accepted = task
                    .await
                    .unwrap()
                    .unwrap_or_else(|e| panic!("{:?}: {e}", t.backend))
                    .unwrap_or_else(|e| panic!("{:?} round {round}: refused: {e}", t.backend));
                made.push(accepted.version);
            }
            made.sort_by_key(|v| v.number);
            assert_eq!(
                (made[0].number, made[1].number),
                (before.number + 1, before.number + 2),
                "{:?} round {round}",
                t.backend
            );
            assert_eq!(made[0].parent_id, Some(before.id));
            assert_eq!(made[1].parent_id, Some(made[0].id));
            let now = current_text(&t.db, &fx).await;
            assert_eq!(now.id, made[1].id);
            assert!(now.markdown.contains(&health) && now.markdown.contains(&unesco));
            for id in [a.id, b.id] {
                assert_eq!(reload(&t.db, id).await.status, "accepted");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// adoption

#[tokio::test]
async fn an_adopted_declaration_refuses_every_write() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let a = submitted(
            &t.db,
            &fx,
            fx.jonas,
            "A",
            HEALTH,
            "contributes to happiness",
        )
        .await;
        let d = propose(
            &t.db,
            &fx,
            new_amendment(
                fx.trine,
                fx.v1.id,
                "D",
                edit(&fx.v1.markdown, UNESCO, "We ask UNESCO to continue"),
                false,
            ),
        )
        .await
        .unwrap();
        declaration::Entity::update_many()
            .col_expr(declaration::Column::Status, Expr::value("adopted"))
            .filter(declaration::Column::Id.eq(fx.declaration_id))
            .exec(&t.db)
            .await
            .unwrap();
        let before = snapshot(&t.db).await;
        let v1 = &fx.v1;
        let text = edit(
            &v1.markdown,
            RECOGNISE,
            "We welcome the work done since Beijing",
        );
        let adopted = Some(DraftingError::Adopted);
        assert_eq!(
            save(&t.db, &fx, fx.committee, v1.id, &text).await.err(),
            adopted
        );
        assert_eq!(
            propose(
                &t.db,
                &fx,
                new_amendment(fx.mette, v1.id, "M", text.clone(), true)
            )
            .await
            .err(),
            adopted
        );
        assert_eq!(accept(&t.db, a.id, fx.committee, None).await.err(), adopted);
        assert_eq!(
            in_txn!(&t.db, |txn| drafting::reject(
                &*txn,
                AmendmentId(a.id),
                PersonId(fx.committee),
                "No."
            ))
            .err(),
            adopted
        );
        assert_eq!(
            in_txn!(&t.db, |txn| drafting::withdraw(
                &*txn,
                AmendmentId(a.id),
                PersonId(fx.jonas)
            ))
            .err(),
            adopted
        );
        assert_eq!(
            in_txn!(&t.db, |txn| drafting::submit(
                &*txn,
                AmendmentId(d.id),
                PersonId(fx.trine)
            ))
            .err(),
            adopted
        );
        assert_eq!(
            in_txn!(&t.db, |txn| drafting::comment(
                &*txn,
                AmendmentId(a.id),
                PersonId(fx.committee),
                "Late."
            ))
            .err(),
            adopted
        );
        assert_eq!(
            in_txn!(&t.db, |txn| drafting::update_amendment(
                &*txn,
                AmendmentId(d.id),
                PersonId(fx.trine),
                AmendmentEdit {
                    base_version_id: VersionId(v1.id),
                    title: "D".into(),
                    rationale: String::new(),
                    proposed_markdown: text.clone(),
                    co_sponsor_person_ids: None,
                    amended_sha256: None,
                }
            ))
            .err(),
            adopted
        );
        assert_eq!(
            DraftingError::Adopted.to_string(),
            "The declaration is adopted; its text can no longer change."
        );
        assert_eq!(snapshot(&t.db).await, before, "{:?}", t.backend);
    }
}

// ---------------------------------------------------------------------------------------------
// provenance and compilation

#[tokio::test]
async fn provenance_names_the_amendment_that_brought_text_in() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let v2 = save(
            &t.db,
            &fx,
            fx.committee,
            fx.v1.id,
            &edit(
                &fx.v1.markdown,
                RECOGNISE,
                "We warmly recognise the work done since Beijing",
            ),
        )
        .await
        .unwrap()
        .version;
        let a = submitted(
            &t.db,
            &fx,
            fx.trine,
            "Joy",
            HEALTH,
            "contributes to health, well-being and joy",
        )
        .await;
        let v3 = accept(&t.db, a.id, fx.committee, None)
            .await
            .unwrap()
            .version;

        let spans = drafting::provenance(&t.db, DeclarationId(fx.declaration_id))
            .await
            .unwrap();
        let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, v3.markdown, "{:?}", t.backend);

        let warmly = spans.iter().find(|s| s.text.contains("warmly")).unwrap();
        assert_eq!(
            (warmly.version_id, warmly.version_number),
            (VersionId(v2.id), VersionNumber(2))
        );
        assert_eq!(warmly.author_name.as_deref(), Some("Kwame Mensah"));
        assert!(warmly.amendment.is_none());

        let joy = spans.iter().find(|s| s.text.contains("joy")).unwrap();
        assert_eq!(joy.version_number, VersionNumber(3));
        let by = joy.amendment.as_ref().unwrap();
        assert_eq!((by.id, by.number), (AmendmentId(a.id), AmendmentNumber(1)));
        assert_eq!(by.title, "Joy");
        assert_eq!(by.sponsor_name, "Trine Bendix Knudsen");
        assert_eq!(by.delegation_name.as_deref(), Some("Denmark"));

        let zero = spans.iter().find(|s| s.text.contains("Preamble")).unwrap();
        assert_eq!(zero.version_number, VersionNumber(1));
    }
}

#[tokio::test]
async fn the_compilation_shows_pending_amendments_inline() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let v1 = &fx.v1.markdown;
        let a = submitted(
            &t.db,
            &fx,
            fx.trine,
            "Happiness",
            HEALTH,
            "contributes to happiness",
        )
        .await;
        let b = submitted(
            &t.db,
            &fx,
            fx.jonas,
            "Good *health*",
            HEALTH,
            "contributes to good health",
        )
        .await;
        let c = submitted(
            &t.db,
            &fx,
            fx.mette,
            "Report",
            "on progress at the next International Conference on Learning Cities.\n",
            "on progress at the next International Conference on Learning Cities.\n\nWe thank \
             the people and the city of Mexico City.\n",
        )
        .await;
        // a draft is not shown
        propose(
            &t.db,
            &fx,
            new_amendment(
                fx.mette,
                fx.v1.id,
                "Draft",
                edit(v1, RECOGNISE, "We recall"),
                false,
            ),
        )
        .await
        .unwrap();

        let text = drafting::compilation(&t.db, DeclarationId(fx.declaration_id))
            .await
            .unwrap()
            .unwrap();
        let health_paragraph = "We commit to learning that contributes to health and well-being, \
                                in families, communities and\nworkplaces.";
        let block_a = "> **Amendment 1** (Trine Bendix Knudsen, Denmark), amends paragraph 5: \
                       *Happiness*\n>\n> We commit to learning that contributes to happiness, \
                       in families, communities and\n> workplaces.";
        let block_b = "> **Amendment 2** (Jonas Holm, Denmark), amends paragraph 5: *Good \
                       \\*health\\**";
        let block_c = "> **Amendment 3** (Mette Lund, Denmark), inserts after paragraph 10: \
                       *Report*\n>\n> We thank the people and the city of Mexico City.";
        for needle in [health_paragraph, block_a, block_b, block_c] {
            assert!(text.contains(needle), "{needle:?} in\n{text}");
        }
        let at = |s: &str| text.find(s).unwrap();
        assert!(at(health_paragraph) < at(block_a));
        assert!(at(block_a) < at(block_b));
        assert!(at(block_b) < at("We commit to encouraging"));
        assert!(text.trim_end().ends_with("Mexico City."), "{text}");
        assert!(!text.contains("We recall"));
        assert!(!text.contains("Amendment 4"));
        let _ = (a, b, c);
    }
}

// ---------------------------------------------------------------------------------------------
// paragraph labels

/// The labels of a version, as shown ("-" for a heading).
fn shown_labels(v: &declaration_version::Model) -> Vec<String> {
    drafting::labels_of(v)
        .into_iter()
        .map(|l| l.map_or_else(|| "-".to_owned(), |l| l.to_string()))
        .collect()
}

/// The label shown for the paragraph of `v` that holds `phrase`.
fn label_at(v: &declaration_version::Model, phrase: &str) -> String {
    let paras = domain::drafting::paragraphs(&v.markdown);
    let i = paras
        .iter()
        .position(|p| p.text.contains(phrase))
        .unwrap_or_else(|| panic!("{phrase:?} in version {}", v.number));
    shown_labels(v)[i].clone()
}

/// (id, stored labels) of every version.
async fn all_labels(db: &DatabaseConnection) -> Vec<(i32, String)> {
    declaration_version::Entity::find()
        .order_by_asc(declaration_version::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.id, v.paragraph_labels))
        .collect()
}

const INSERTED: &str = "We add a paragraph on learning for older people.";
/// Paragraph 4, the one before paragraph 5 ([`HEALTH`]).
const GLOBAL: &str = "We commit to building learning cities that foster global citizenship";

#[tokio::test]
async fn paragraphs_keep_their_labels_from_version_to_version() {
    for t in TestDb::all().await {
        let fx = fixture(&t.db).await;
        let before = shown_labels(&fx.v1);
        assert_eq!(label_at(&fx.v1, HEALTH), "5", "{:?}", t.backend);
        // an amendment to paragraph 5, pending while the committee inserts one after paragraph 3
        assert_eq!(label_at(&fx.v1, GLOBAL), "4");
        let a = submitted(
            &t.db,
            &fx,
            fx.trine,
            "Happiness",
            HEALTH,
            "contributes to joy",
        )
        .await;

        let with_new = edit(&fx.v1.markdown, GLOBAL, &format!("{INSERTED}\n\n{GLOBAL}"));
        let v2 = save(&t.db, &fx, fx.committee, fx.v1.id, &with_new)
            .await
            .unwrap()
            .version;
        assert_eq!(label_at(&v2, INSERTED), "3 bis");
        assert_eq!(label_at(&v2, HEALTH), "5");
        // every other paragraph keeps its label
        let mut expected = before.clone();
        expected.insert(
            domain::drafting::paragraphs(&v2.markdown)
                .iter()
                .position(|p| p.text.contains(INSERTED))
                .unwrap(),
            "3 bis".to_owned(),
        );
        assert_eq!(shown_labels(&v2), expected);

        // the amendment was rebased onto version 2 and still amends paragraph 5
        let moved = reload(&t.db, a.id).await;
        assert_eq!(moved.base_version_id, v2.id);
        let touched = drafting::amendment(&t.db, AmendmentId(a.id))
            .await
            .unwrap()
            .unwrap()
            .touched;
        let labels: Vec<String> = touched
            .iter()
            .filter_map(|p| p.label.map(|l| l.to_string()))
            .collect();
        assert_eq!(labels, ["5"]);
        let compiled = drafting::compilation(&t.db, DeclarationId(fx.declaration_id))
            .await
            .unwrap()
            .unwrap();
        assert!(
            compiled.contains("amends paragraph 5: *Happiness*"),
            "{compiled}"
        );

        // 3 bis deleted, then a new paragraph after 3: it is 3 ter, never 3 bis again
        let v3 = save(&t.db, &fx, fx.committee, v2.id, &fx.v1.markdown)
            .await
            .unwrap()
            .version;
        assert_eq!(shown_labels(&v3), before);
        let again = edit(
            &v3.markdown,
            GLOBAL,
            &format!("Another new paragraph.\n\n{GLOBAL}"),
        );
        let v4 = save(&t.db, &fx, fx.committee, v3.id, &again)
            .await
            .unwrap()
            .version;
        assert_eq!(label_at(&v4, "Another new paragraph."), "3 ter");

        // the page shows the labels, each paragraph with an anchor
        let html = domain::drafting::labelled_html(&v4.markdown, &drafting::labels_of(&v4), true);
        assert!(
            html.contains(
                r#"<div class="para" id="para-3-ter"><span class="para-number">3 ter</span>"#
            ),
            "{html}"
        );

        // labelling every version afresh, in version order (what the migration does for
        // versions stored before labels were), gives the same labels
        let stored = all_labels(&t.db).await;
        assert!(stored.iter().all(|(_, l)| !l.is_empty()));
        declaration_version::Entity::update_many()
            .col_expr(
                declaration_version::Column::ParagraphLabels,
                Expr::value(String::new()),
            )
            .exec(&t.db)
            .await
            .unwrap();
        drafting::label_all_versions(&t.db).await.unwrap();
        assert_eq!(all_labels(&t.db).await, stored);
    }
}
