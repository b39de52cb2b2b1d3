//! Drafting reads: versions, amendments with their history and comments, collisions,
//! provenance, the compilation text and paragraph tags.

use super::*;
use domain::ids::{
    AmendmentId, AmendmentNumber, DeclarationId, DelegationId, PersonId, VersionId, VersionNumber,
};

// ---------------------------------------------------------------------------------------------
// reads

/// The declaration and its current version.
pub async fn current(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Option<(declaration::Model, declaration_version::Model)>, DbErr> {
    let Some(decl) = declaration::Entity::find_by_id(declaration_id.0)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(version_id) = decl.current_version_id else {
        return Ok(None);
    };
    Ok(declaration_version::Entity::find_by_id(version_id)
        .one(db)
        .await?
        .map(|v| (decl, v)))
}

/// One version (with its text).
pub async fn version(
    db: &impl ConnectionTrait,
    version_id: VersionId,
) -> Result<Option<declaration_version::Model>, DbErr> {
    declaration_version::Entity::find_by_id(version_id.0)
        .one(db)
        .await
}

/// A version in the list of versions, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSummary {
    pub id: VersionId,
    pub number: VersionNumber,
    pub parent_id: Option<VersionId>,
    pub author_person_id: Option<PersonId>,
    pub author_name: Option<String>,
    pub message: String,
    pub source: VersionSource,
    pub amendment_id: Option<AmendmentId>,
    /// The number and title of the amendment it merged ("Amendment 3: …").
    pub amendment_number: Option<AmendmentNumber>,
    pub amendment_title: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(FromQueryResult)]
pub(super) struct VersionRow {
    id: i32,
    number: i32,
    parent_id: Option<i32>,
    author_person_id: Option<i32>,
    message: String,
    source: String,
    amendment_id: Option<i32>,
    created_at: DateTime<Utc>,
}

/// The declaration's versions, newest first, without their texts.
pub async fn versions(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Vec<VersionSummary>, DbErr> {
    use declaration_version::Column as C;
    let rows = declaration_version::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::Number,
            C::ParentId,
            C::AuthorPersonId,
            C::Message,
            C::Source,
            C::AmendmentId,
            C::CreatedAt,
        ])
        .filter(C::DeclarationId.eq(declaration_id.0))
        .order_by_desc(C::Number)
        .into_model::<VersionRow>()
        .all(db)
        .await?;
    let names = names(db, rows.iter().filter_map(|r| r.author_person_id)).await?;
    let amendment_ids: Vec<i32> = rows.iter().filter_map(|r| r.amendment_id).collect();
    let merged: HashMap<i32, (i32, String)> = if amendment_ids.is_empty() {
        HashMap::new()
    } else {
        amendment::Entity::find()
            .select_only()
            .columns([
                amendment::Column::Id,
                amendment::Column::Number,
                amendment::Column::Title,
            ])
            .filter(amendment::Column::Id.is_in(amendment_ids))
            .into_tuple::<(i32, i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, number, title)| (id, (number, title)))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|r| VersionSummary {
            author_name: r.author_person_id.and_then(|p| names.get(&p).cloned()),
            amendment_number: r
                .amendment_id
                .and_then(|a| merged.get(&a))
                .map(|(n, _)| AmendmentNumber(*n)),
            amendment_title: r
                .amendment_id
                .and_then(|a| merged.get(&a))
                .map(|(_, t)| t.clone()),
            id: VersionId(r.id),
            number: VersionNumber(r.number),
            parent_id: r.parent_id.map(VersionId),
            author_person_id: r.author_person_id.map(PersonId),
            message: r.message,
            source: VersionSource::read(&r.source),
            amendment_id: r.amendment_id.map(AmendmentId),
            created_at: r.created_at,
        })
        .collect())
}

/// Names of people by id.
pub(super) async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: HashSet<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}

/// Names of delegations by id.
pub(super) async fn delegation_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids: HashSet<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(delegation::Entity::find()
        .filter(delegation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

/// A paragraph of a version: its 0-based index among the version's paragraphs
/// ([`domain::drafting::paragraphs`]) and its display number (`None` for a heading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParagraphRef {
    pub index: usize,
    pub label: Option<engine::Label>,
}

/// The paragraphs of `base` that `proposed` touches ("amends paragraph 5"), with the labels
/// stored with `base`; see [`domain::drafting::touched_paragraphs`].
pub fn touched(base: &declaration_version::Model, proposed: &str) -> Vec<ParagraphRef> {
    let labels = labels_of(base);
    engine::touched_paragraphs(&base.markdown, proposed)
        .into_iter()
        .map(|index| ParagraphRef {
            index,
            label: labels.get(index).copied().flatten(),
        })
        .collect()
}

/// An event of an amendment's history, with the actor's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEntry {
    pub event: amendment_event::Model,
    pub actor_name: Option<String>,
}

/// A comment, with its author's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentEntry {
    pub comment: amendment_comment::Model,
    pub author_name: Option<String>,
}

/// An amendment with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentDetail {
    pub amendment: amendment::Model,
    pub status: AmendmentStatus,
    pub sponsor: person::Model,
    pub delegation: Option<delegation::Model>,
    pub co_sponsors: Vec<person::Model>,
    /// The version its proposed text is written against (for the diff).
    pub base: declaration_version::Model,
    /// The paragraphs of `base` it touches.
    pub touched: Vec<ParagraphRef>,
    /// Oldest first.
    pub events: Vec<EventEntry>,
    /// Oldest first.
    pub comments: Vec<CommentEntry>,
}

/// One amendment with its sponsors, base version, history and comments.
pub async fn amendment(
    db: &impl ConnectionTrait,
    amendment_id: AmendmentId,
) -> Result<Option<AmendmentDetail>, DbErr> {
    let Some(a) = amendment::Entity::find_by_id(amendment_id.0)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let status = status_of(&a)?;
    let sponsor = person::Entity::find_by_id(a.sponsor_person_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("person {}", a.sponsor_person_id)))?;
    let delegation = match a.sponsor_delegation_id {
        Some(d) => delegation::Entity::find_by_id(d).one(db).await?,
        None => None,
    };
    let co_ids: Vec<i32> = amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.eq(a.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.person_id)
        .collect();
    let co_sponsors = if co_ids.is_empty() {
        Vec::new()
    } else {
        person::Entity::find()
            .filter(person::Column::Id.is_in(co_ids))
            .order_by_asc(person::Column::Name)
            .all(db)
            .await?
    };
    let base = declaration_version::Entity::find_by_id(a.base_version_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            DbErr::RecordNotFound(format!("declaration version {}", a.base_version_id))
        })?;
    let events = amendment_event::Entity::find()
        .filter(amendment_event::Column::AmendmentId.eq(a.id))
        .order_by_asc(amendment_event::Column::Id)
        .all(db)
        .await?;
    let comments = amendment_comment::Entity::find()
        .filter(amendment_comment::Column::AmendmentId.eq(a.id))
        .order_by_asc(amendment_comment::Column::Id)
        .all(db)
        .await?;
    let who = names(
        db,
        events
            .iter()
            .filter_map(|e| e.actor_person_id)
            .chain(comments.iter().filter_map(|c| c.author_person_id)),
    )
    .await?;
    Ok(Some(AmendmentDetail {
        touched: touched(&base, &a.proposed_markdown),
        events: events
            .into_iter()
            .map(|event| EventEntry {
                actor_name: event.actor_person_id.and_then(|p| who.get(&p).cloned()),
                event,
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|comment| CommentEntry {
                author_name: comment.author_person_id.and_then(|p| who.get(&p).cloned()),
                comment,
            })
            .collect(),
        amendment: a,
        status,
        sponsor,
        delegation,
        co_sponsors,
        base,
    }))
}

/// An amendment in the list of a declaration's amendments (without its texts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentSummary {
    pub id: AmendmentId,
    pub number: AmendmentNumber,
    pub title: String,
    pub status: AmendmentStatus,
    pub sponsor_person_id: PersonId,
    pub sponsor_name: String,
    pub sponsor_delegation_id: Option<DelegationId>,
    pub delegation_name: Option<String>,
    pub co_sponsor_person_ids: Vec<PersonId>,
    pub base_version_id: VersionId,
    pub original_base_version_id: VersionId,
    pub merged_version_id: Option<VersionId>,
    /// For an amendment to an amendment: the amendment it amends.
    pub parent_amendment_id: Option<AmendmentId>,
    /// The paragraphs of its base version it touches.
    pub touched: Vec<ParagraphRef>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The declaration's amendments, by number, every status.
pub async fn amendments(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Vec<AmendmentSummary>, DbErr> {
    let list = amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id.0))
        .order_by_asc(amendment::Column::Number)
        .all(db)
        .await?;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = list.iter().map(|a| a.id).collect();
    let mut co: HashMap<i32, Vec<i32>> = HashMap::new();
    for s in amendment_sponsor::Entity::find()
        .filter(amendment_sponsor::Column::AmendmentId.is_in(ids))
        .order_by_asc(amendment_sponsor::Column::PersonId)
        .all(db)
        .await?
    {
        co.entry(s.amendment_id).or_default().push(s.person_id);
    }
    let who = names(db, list.iter().map(|a| a.sponsor_person_id)).await?;
    let delegations =
        delegation_names(db, list.iter().filter_map(|a| a.sponsor_delegation_id)).await?;
    let base_ids: HashSet<i32> = list.iter().map(|a| a.base_version_id).collect();
    let bases: HashMap<i32, declaration_version::Model> = declaration_version::Entity::find()
        .filter(declaration_version::Column::Id.is_in(base_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    list.into_iter()
        .map(|a| {
            Ok(AmendmentSummary {
                status: status_of(&a)?,
                sponsor_name: who.get(&a.sponsor_person_id).cloned().unwrap_or_default(),
                delegation_name: a
                    .sponsor_delegation_id
                    .and_then(|d| delegations.get(&d).cloned()),
                co_sponsor_person_ids: co
                    .remove(&a.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(PersonId)
                    .collect(),
                touched: bases
                    .get(&a.base_version_id)
                    .map(|base| touched(base, &a.proposed_markdown))
                    .unwrap_or_default(),
                id: AmendmentId(a.id),
                number: AmendmentNumber(a.number),
                title: a.title,
                sponsor_person_id: PersonId(a.sponsor_person_id),
                sponsor_delegation_id: a.sponsor_delegation_id.map(DelegationId),
                base_version_id: VersionId(a.base_version_id),
                original_base_version_id: VersionId(a.original_base_version_id),
                merged_version_id: a.merged_version_id.map(VersionId),
                parent_amendment_id: a.parent_amendment_id.map(AmendmentId),
                created_at: a.created_at,
                updated_at: a.updated_at,
            })
        })
        .collect()
}

/// Two pending amendments that touch a common paragraph of the current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCollision {
    /// Amendment ids, `first` the lower number.
    pub first: i32,
    pub second: i32,
    /// The paragraphs of the current version both touch.
    pub paragraphs: Vec<ParagraphRef>,
}

/// Submitted amendments written against the current version that touch a common paragraph
/// ([`domain::drafting::collisions`]), in amendment-number order. (After every new version,
/// submitted amendments are rebased onto it or flagged, so this covers all the submitted ones
/// but those in `needs_update`.)
pub async fn collisions_of_pending(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Vec<PendingCollision>, DbErr> {
    let Some((_, current)) = current(db, declaration_id).await? else {
        return Ok(Vec::new());
    };
    let pending = submitted_on(db, declaration_id.0, current.id).await?;
    let labels = labels_of(&current);
    let input: Vec<(i32, &str)> = pending
        .iter()
        .map(|a| (a.id, a.proposed_markdown.as_str()))
        .collect();
    Ok(engine::collisions(&current.markdown, &input)
        .into_iter()
        .map(|c| PendingCollision {
            first: c.first,
            second: c.second,
            paragraphs: c
                .paragraphs
                .into_iter()
                .map(|index| ParagraphRef {
                    index,
                    label: labels.get(index).copied().flatten(),
                })
                .collect(),
        })
        .collect())
}

/// Submitted amendments written against `version_id`, by number (not amendments to an
/// amendment: they amend an amendment's text, not the version's).
pub(super) async fn submitted_on(
    db: &impl ConnectionTrait,
    declaration_id: i32,
    version_id: i32,
) -> Result<Vec<amendment::Model>, DbErr> {
    amendment::Entity::find()
        .filter(amendment::Column::DeclarationId.eq(declaration_id))
        .filter(amendment::Column::Status.eq(AmendmentStatus::Submitted.as_str()))
        .filter(amendment::Column::BaseVersionId.eq(version_id))
        .filter(amendment::Column::ParentAmendmentId.is_null())
        .order_by_asc(amendment::Column::Number)
        .all(db)
        .await
}

/// The amendment a version came from, for provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentRef {
    pub id: AmendmentId,
    pub number: AmendmentNumber,
    pub title: String,
    pub sponsor_name: String,
    pub delegation_name: Option<String>,
}

/// A stretch of the current text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenanceSpan {
    pub text: String,
    pub version_id: VersionId,
    pub version_number: VersionNumber,
    /// Who wrote it: in a version saved from the shared draft, the committee member who typed
    /// the passage; otherwise the version's author (for an accepted amendment: who accepted it).
    pub author_name: Option<String>,
    /// The amendment that brought it in, when the version came from one.
    pub amendment: Option<AmendmentRef>,
}

/// "Who wrote this": the current version cut into spans, each attributed to the version that
/// introduced it ([`domain::drafting::attribute`] over the chain of parents from the first
/// version to the current one) and, for a version made by accepting an amendment, to that
/// amendment and its sponsor. The spans concatenate to the current text. Empty when the
/// declaration has no version.
pub async fn provenance(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Vec<ProvenanceSpan>, DbErr> {
    let Some((_, current)) = current(db, declaration_id).await? else {
        return Ok(Vec::new());
    };
    let mut all: HashMap<i32, declaration_version::Model> = declaration_version::Entity::find()
        .filter(declaration_version::Column::DeclarationId.eq(declaration_id.0))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    // the chain of parents, newest first; a version is taken once, so a cycle cannot loop
    let mut chain = Vec::new();
    let mut next = Some(current.id);
    while let Some(id) = next {
        let Some(v) = all.remove(&id) else { break };
        next = v.parent_id;
        chain.push(v);
    }
    chain.reverse();

    let amendment_ids: Vec<i32> = chain.iter().filter_map(|v| v.amendment_id).collect();
    let merged: HashMap<i32, amendment::Model> = if amendment_ids.is_empty() {
        HashMap::new()
    } else {
        amendment::Entity::find()
            .filter(amendment::Column::Id.is_in(amendment_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect()
    };
    // who typed what, for versions saved from the shared draft
    let typists: Vec<Option<domain::coedit::Typists<PersonId>>> = chain
        .iter()
        .map(|v| {
            (!v.typists.is_empty()).then(|| crate::shared::typists_of(&v.typists, &v.markdown))
        })
        .collect();
    let mut people: Vec<i32> = chain
        .iter()
        .filter_map(|v| v.author_person_id)
        .chain(merged.values().map(|a| a.sponsor_person_id))
        .collect();
    for t in typists.iter().flatten() {
        people.extend(t.runs.iter().filter_map(|r| r.1.map(|p| p.0)));
    }
    let who = names(db, people).await?;
    let delegations =
        delegation_names(db, merged.values().filter_map(|a| a.sponsor_delegation_id)).await?;

    let texts: Vec<(i32, &str)> = chain.iter().map(|v| (v.id, v.markdown.as_str())).collect();
    // each token: the version that brought it in, and who typed it there (if known)
    let spans = engine::attribute_by(&texts, |k, at| {
        let typist = typists
            .get(k)
            .and_then(|t| t.as_ref())
            .and_then(|t| t.at(at).copied());
        (k, typist)
    });
    Ok(spans
        .into_iter()
        .filter_map(|span| {
            let (k, typist) = span.version;
            let v = chain.get(k)?;
            let amendment = v
                .amendment_id
                .and_then(|id| merged.get(&id))
                .map(|a| AmendmentRef {
                    id: AmendmentId(a.id),
                    number: AmendmentNumber(a.number),
                    title: a.title.clone(),
                    sponsor_name: who.get(&a.sponsor_person_id).cloned().unwrap_or_default(),
                    delegation_name: a
                        .sponsor_delegation_id
                        .and_then(|d| delegations.get(&d).cloned()),
                });
            let author = typist.map(|p| p.0).or(v.author_person_id);
            Some(ProvenanceSpan {
                text: span.text,
                version_id: VersionId(v.id),
                version_number: VersionNumber(v.number),
                author_name: author.and_then(|p| who.get(&p).cloned()),
                amendment,
            })
        })
        .collect())
}

/// The compilation text: the current version with every submitted amendment inline, as
/// Markdown. `None` when the declaration has no version.
///
/// The current text comes paragraph by paragraph. Each submitted amendment written against the
/// current version is compared with it paragraph by paragraph
/// ([`domain::drafting::side_by_side`]); each run of paragraphs it changes becomes a
/// blockquote placed after the last paragraph of the run (after the paragraph before an
/// insertion; at the top for an insertion at the very start):
///
/// ```text
/// > **Amendment 3** (Trine Hansen, Denmark), amends paragraph 5: *Title*
/// >
/// > the paragraph as the amendment would have it
/// ```
///
/// Blocks after the same paragraph come in amendment-number order. Amendments in
/// `needs_update` (written against an older version) and drafts are not included.
pub async fn compilation(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Option<String>, DbErr> {
    let Some((_, current)) = current(db, declaration_id).await? else {
        return Ok(None);
    };
    let pending = submitted_on(db, declaration_id.0, current.id).await?;
    let labels = labels_of(&current);
    let who = names(db, pending.iter().map(|a| a.sponsor_person_id)).await?;
    let delegations =
        delegation_names(db, pending.iter().filter_map(|a| a.sponsor_delegation_id)).await?;

    // blocks by the index of the paragraph they follow (None: before the first)
    let mut blocks: BTreeMap<Option<usize>, Vec<String>> = BTreeMap::new();
    for a in &pending {
        let mut sponsor = who.get(&a.sponsor_person_id).cloned().unwrap_or_default();
        if let Some(d) = a.sponsor_delegation_id.and_then(|d| delegations.get(&d)) {
            sponsor = format!("{sponsor}, {d}");
        }
        for run in changed_runs(&current.markdown, &labels, &a.proposed_markdown) {
            let mut block = format!(
                "> **Amendment {}** ({}), {}: *{}*",
                a.number,
                escape_inline(&sponsor),
                run.label,
                escape_inline(&a.title)
            );
            if run.new.is_empty() {
                block.push_str("\n>\n> *(deleted)*");
            }
            for p in &run.new {
                block.push_str("\n>");
                for line in p.lines() {
                    block.push_str("\n> ");
                    block.push_str(line);
                }
            }
            blocks.entry(run.after).or_default().push(block);
        }
    }

    let mut out: Vec<String> = Vec::new();
    if let Some(b) = blocks.remove(&None) {
        out.extend(b);
    }
    for (i, p) in engine::paragraphs(&current.markdown)
        .into_iter()
        .enumerate()
    {
        out.push(p.text);
        if let Some(b) = blocks.remove(&Some(i)) {
            out.extend(b);
        }
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    Ok(Some(text))
}

/// A run of paragraphs an amendment changes, for [`compilation`].
pub(super) struct ChangedRun {
    /// The paragraph of the current version it goes after.
    after: Option<usize>,
    /// "amends paragraph 5", "deletes paragraphs 5, 6", "inserts after paragraph 4"
    label: String,
    /// The amendment's paragraphs for the run.
    new: Vec<String>,
}

pub(super) fn changed_runs(
    current: &str,
    labels: &[Option<engine::Label>],
    proposed: &str,
) -> Vec<ChangedRun> {
    let label_of = |index: usize| labels.get(index).copied().flatten();
    let mut runs = Vec::new();
    let mut last_old: Option<usize> = None;
    let mut old: Vec<(usize, Option<engine::Label>)> = Vec::new();
    let mut new: Vec<String> = Vec::new();
    let mut anchor_number: Option<Option<engine::Label>> = None;
    let text = |cell: &engine::Cell| {
        cell.spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<String>()
    };
    let flush = |old: &mut Vec<(usize, Option<engine::Label>)>,
                 new: &mut Vec<String>,
                 last_old: Option<usize>,
                 anchor_number: Option<Option<engine::Label>>,
                 runs: &mut Vec<ChangedRun>| {
        if old.is_empty() && new.is_empty() {
            return;
        }
        let label = if old.is_empty() {
            match anchor_number {
                Some(Some(n)) => format!("inserts after paragraph {n}"),
                Some(None) => "inserts after the heading".to_owned(),
                None => "inserts at the beginning".to_owned(),
            }
        } else {
            let verb = if new.is_empty() { "deletes" } else { "amends" };
            let numbers: Vec<String> = old
                .iter()
                .filter_map(|(_, n)| n.map(|n| n.to_string()))
                .collect();
            match numbers.len() {
                0 => format!("{verb} the heading"),
                1 => format!("{verb} paragraph {}", numbers[0]),
                _ => format!("{verb} paragraphs {}", numbers.join(", ")),
            }
        };
        runs.push(ChangedRun {
            after: old.last().map(|(i, _)| *i).or(last_old),
            label,
            new: std::mem::take(new),
        });
        old.clear();
    };
    for row in engine::side_by_side(current, proposed) {
        let same = match (&row.old, &row.new) {
            (Some(o), Some(n)) => text(o) == text(n),
            _ => false,
        };
        if same {
            flush(&mut old, &mut new, last_old, anchor_number, &mut runs);
            if let Some(o) = &row.old {
                last_old = Some(o.index);
                anchor_number = Some(label_of(o.index));
            }
            continue;
        }
        if let Some(o) = &row.old {
            old.push((o.index, label_of(o.index)));
        }
        if let Some(n) = &row.new {
            new.push(text(n));
        }
    }
    flush(&mut old, &mut new, last_old, anchor_number, &mut runs);
    runs
}

/// Backslash-escapes Markdown punctuation in a name or title, and keeps it on one line.
pub(super) fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Key Feature tags on paragraphs

/// Every Key Feature tag on the declaration's paragraphs: (paragraph label, code), sorted.
pub async fn paragraph_tags(
    db: &impl ConnectionTrait,
    declaration_id: DeclarationId,
) -> Result<Vec<(String, String)>, DbErr> {
    use crate::entity::paragraph_key_feature as t;
    Ok(t::Entity::find()
        .filter(t::Column::DeclarationId.eq(declaration_id.0))
        .order_by_asc(t::Column::ParagraphLabel)
        .order_by_asc(t::Column::KeyFeatureCode)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.paragraph_label, r.key_feature_code))
        .collect())
}
