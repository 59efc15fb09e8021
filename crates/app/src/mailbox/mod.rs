//! The public mailbox at work: submission (with the flood guard and a
//! suggested unit), the handling workflow of `gongkai_domain::mailbox`
//! (review, routing, reply / extension / transfer, the office's check, the
//! writer told, rating, reopening), deadlines shared with the Q&A tickets
//! (`gongkai_domain::dispatch`), publication with personal data masked,
//! statistics, the phone ledger and the commitments ledger.
//!
//! Who does what: the office that supervises 政务公开 (the site's
//! `qa_office_unit_id`, usually 县政府办公室) reviews, routes, checks replies,
//! publishes, records phone checks; a unit's case handlers reply, extend
//! and transfer the messages routed to it, register calls to its public
//! phone and the commitments it makes. Every change is audited; the
//! writer's contact data never reaches logs or audit details.

pub mod admin;
pub mod api;
pub mod bench;
pub mod classifier_bench;
pub mod demo;
pub mod guard;
pub mod open311;
pub mod portal;

use crate::auth::Session;
use crate::dispatch::{Notice, Tally};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use gongkai_domain::accounts::{Action as Perm, Scope};
use gongkai_domain::audit::NewEntry;
use gongkai_domain::dispatch::{DeadlineAction, deadline_action, due_date};
use gongkai_domain::mailbox::classify::{Classifier, TOPIC_SEED};
use gongkai_domain::mailbox::{Action, Category, Facts, MailboxError, Outcome, Status, apply};
use gongkai_store::accounts::{Site, Unit};
use gongkai_store::mailbox::{MessageRow, MessageState, NewMessage};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Per node: the flood guard and the routing classifiers of the sites.
pub struct MailboxService {
    pub guard: guard::Guard,
    classifiers: Mutex<HashMap<i64, (Instant, Arc<Classifier>)>>,
}

/// How long a node keeps a site's trained classifier.
const CLASSIFIER_TTL: Duration = Duration::from_secs(600);
/// Routed messages a site's classifier learns from, newest first.
const TRAINING_LIMIT: u64 = 5_000;

impl MailboxService {
    pub fn new(data_dir: &std::path::Path) -> anyhow::Result<MailboxService> {
        let key = guard::Guard::load_key(data_dir)?;
        Ok(MailboxService {
            // 20 messages per client and hour, 5 at once: a family sharing
            // an address is not stopped; a script is.
            guard: guard::Guard::new(key, 20, 5),
            classifiers: Mutex::new(HashMap::new()),
        })
    }

    /// Drops a site's classifier so the next suggestion retrains it.
    pub fn invalidate(&self, site_id: i64) {
        self.classifiers.lock().unwrap_or_else(|e| e.into_inner()).remove(&site_id);
    }
}

pub use crate::foi::day;

pub use crate::qa::{is_office, office_of};

/// May the caller handle messages of this unit (reply, extend, transfer)?
pub fn handles(session: &Session, unit: &Unit) -> bool {
    session.can(Perm::HandleCases, Scope::Unit(&unit.unit_path()))
}

pub fn may_view(session: &Session) -> bool {
    session.can_somewhere(Perm::HandleCases) || session.can_somewhere(Perm::ViewDashboards)
}

/// The reply period of a category on a site.
pub fn reply_days(site: &Site, category: Category) -> u32 {
    site.settings
        .mailbox_reply_days
        .get(category.as_str())
        .copied()
        .unwrap_or(category.default_reply_days())
}

/// The unit a routing topic goes to: the site's mapping, else the unit
/// whose name carries the topic's usual department.
pub(crate) fn topic_unit(site: &Site, units: &[Unit], topic: &str) -> Option<i64> {
    if let Some(id) = site.settings.mailbox_topic_units.get(topic) {
        return Some(*id);
    }
    let names: &[&str] = match topic {
        "城乡建设" => &["住房城乡建", "住建", "城市管理"],
        "劳动和社会保障" => &["人力社保", "人社", "人力资源"],
        "教育文体" => &["教委", "教育"],
        "商贸旅游" => &["商务", "文化旅游", "文旅"],
        "卫生计生" => &["卫生健康", "卫健"],
        "环境保护" => &["生态环境", "环保"],
        "交通运输" => &["交通"],
        _ => &[],
    };
    units.iter().find(|u| names.iter().any(|n| u.name.contains(n))).map(|u| u.id)
}

/// A suggested unit for a message: (unit id, probability, how it was found).
pub async fn suggest_unit(state: &AppState, site: &Site, title: &str, content: &str) -> AppResult<Option<(i64, f64)>> {
    let classifier = {
        let cached = state
            .mailbox
            .classifiers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&site.id)
            .filter(|(t, _)| t.elapsed() < CLASSIFIER_TTL)
            .map(|(_, c)| c.clone());
        match cached {
            Some(c) => c,
            None => {
                let units = state.store.list_units().await?;
                let history = state.store.mailbox_training(site.id, TRAINING_LIMIT).await?;
                // The topic lexicon, mapped to this site's units, is the start;
                // the site's own routed messages soon outweigh it.
                let mut seed: Vec<(String, &str)> = Vec::new();
                for (topic, words) in TOPIC_SEED.iter() {
                    if let Some(u) = topic_unit(site, &units, topic) {
                        seed.push((u.to_string(), words));
                    }
                }
                let seed_refs: Vec<(&str, &str)> = seed.iter().map(|(l, w)| (l.as_str(), *w)).collect();
                let labels: Vec<String> = history.iter().map(|h| h.2.to_string()).collect();
                let examples = history.iter().zip(&labels).map(|(h, l)| (h.0.as_str(), h.1.as_str(), l.as_str()));
                let c = Arc::new(Classifier::train_with_seed(&seed_refs, examples));
                state
                    .mailbox
                    .classifiers
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(site.id, (Instant::now(), c.clone()));
                c
            }
        }
    };
    Ok(classifier
        .predict(title, content)
        .into_iter()
        .next()
        .and_then(|s| s.label.parse::<i64>().ok().map(|u| (u, s.probability))))
}

/// The public form, checked.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub addressee: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// `1`: the writer agrees to publication (masked).
    #[serde(default)]
    pub public: String,
    #[serde(default)]
    pub captcha_token: String,
    #[serde(default)]
    pub captcha: String,
    /// The honeypot: hidden from people, filled by naive scripts.
    #[serde(default)]
    pub website: String,
}

/// A checked submission.
#[derive(Debug, Clone)]
pub struct Submission {
    pub category: Category,
    pub addressee: Option<i64>,
    pub title: String,
    pub content: String,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub public: bool,
}

/// (field, Chinese message) for each wrong field.
pub type FieldErrors = Vec<(&'static str, String)>;

impl SubmitForm {
    pub fn check(&self, units: &[Unit]) -> Result<Submission, FieldErrors> {
        let mut errors: FieldErrors = Vec::new();
        let category = Category::parse(&self.category);
        if category.is_none() {
            errors.push(("category", "请选择留言类型".into()));
        }
        let addressee = match self.addressee.trim() {
            "" | "0" => None,
            s => match s.parse::<i64>().ok().filter(|id| units.iter().any(|u| u.id == *id)) {
                Some(id) => Some(id),
                None => {
                    errors.push(("addressee", "所选受理单位不存在".into()));
                    None
                }
            },
        };
        let title = self.title.trim().to_owned();
        let n = title.chars().count();
        if !(4..=100).contains(&n) {
            errors.push(("title", "标题应为4至100个字".into()));
        }
        let content = self.content.trim().to_owned();
        let n = content.chars().count();
        if !(10..=5000).contains(&n) {
            errors.push(("content", "留言内容应为10至5000个字".into()));
        }
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 30 {
            errors.push(("name", "请填写姓名（30字以内）".into()));
        }
        let phone: String = self.phone.chars().filter(|c| !c.is_whitespace()).collect();
        if !(phone.chars().all(|c| c.is_ascii_digit() || c == '-') && (7..=20).contains(&phone.len())) {
            errors.push(("phone", "请填写正确的联系电话，用于办理单位联系您".into()));
        }
        let email = self.email.trim().to_owned();
        let email_ok = email.contains('@') && email.len() <= 100 && !email.contains(char::is_whitespace);
        if !email.is_empty() && !email_ok {
            errors.push(("email", "电子邮箱格式不正确".into()));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Submission {
            category: category.unwrap_or(Category::Other),
            addressee,
            title,
            content,
            name,
            phone,
            email: (!email.is_empty()).then_some(email),
            public: self.public == "1",
        })
    }
}

fn random_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..6).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Registers a message; returns (id, query code). `client` is a hash of
/// the client's address (never the address itself).
pub async fn submit(state: &AppState, site: &Site, s: &Submission, channel: &str, client: Option<String>) -> AppResult<(i64, String)> {
    let today = state.clock.now().date_naive();
    let suggestion = suggest_unit(state, site, &s.title, &s.content).await?;
    for _ in 0..5 {
        let code = gongkai_domain::mailbox::query_code(today, &random_code());
        let mut tx = state.store.begin().await?;
        let id = match tx
            .insert_mailbox_message(&NewMessage {
                site_id: site.id,
                query_code: code.clone(),
                channel: channel.into(),
                category: s.category.as_str().into(),
                addressee_unit_id: s.addressee,
                title: s.title.clone(),
                content: s.content.clone(),
                contact_name: s.name.clone(),
                contact_phone: s.phone.clone(),
                contact_email: s.email.clone(),
                wants_private: !s.public,
                received_on: today.to_string(),
                suggested_unit_id: suggestion.map(|x| x.0),
                suggested_score: suggestion.map(|x| x.1),
                client_hash: client.clone(),
            })
            .await
        {
            Ok(id) => id,
            Err(gongkai_store::StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        tx.add_mailbox_event(id, "submitted", None, None, channel, &today.to_string())
            .await?;
        tx.audit(
            NewEntry::new(format!("public:{channel}"), "mailbox.submit", "mailbox_message", id)
                .detail(serde_json::json!({ "category": s.category.as_str(), "code": code })),
        )
        .await?;
        tx.commit().await?;
        return Ok((id, code));
    }
    Err(AppError::internal())
}

/// The facts the workflow reads.
pub fn facts_of(m: &MessageRow) -> Facts {
    Facts {
        status: Status::parse(&m.status).unwrap_or(Status::Submitted),
        extended: m.extended,
        notified_on: m.notified_on.as_deref().and_then(day),
    }
}

/// Who may take an action on a message: the office for review, routing and
/// the check; the unit it is with (or the office) for the reply.
pub async fn require(state: &AppState, session: &Session, m: &MessageRow, action: &Action) -> AppResult<Site> {
    let site = crate::tasks::site_of(state, m.site_id).await?;
    let units = state.store.list_units().await?;
    let office = is_office(session, &site, &units);
    let ok = match action {
        Action::Extend { .. } | Action::Reply { .. } => {
            office
                || m.unit_id
                    .and_then(|u| units.iter().find(|x| x.id == u))
                    .is_some_and(|u| handles(session, u))
        }
        Action::Reopen { .. } => false,
        _ => office,
    };
    if !ok {
        return Err(AppError::forbidden());
    }
    Ok(site)
}

fn kind_of(a: &Action) -> &'static str {
    match a {
        Action::Accept { .. } => "accepted",
        Action::Reject { .. } => "rejected",
        Action::Route { .. } => "routed",
        Action::Extend { .. } => "extended",
        Action::Reply { .. } => "replied",
        Action::Approve => "approved",
        Action::SendBack { .. } => "sent_back",
        Action::Reopen { .. } => "reopened",
    }
}

/// Applies an action: the workflow's check, the due date, the event, the
/// writer's notification through the outbox, and the audit entry.
pub async fn act(state: &AppState, actor: &str, site: &Site, m: &MessageRow, action: Action) -> AppResult<Result<(), MailboxError>> {
    let today = state.clock.now().date_naive();
    let change = match apply(&facts_of(m), &action, today) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let cal = state.calendar().await?;
    let category = Category::parse(&m.category).unwrap_or(Category::Other);
    let days = reply_days(site, category);
    let mut s: MessageState = m.state();
    let old_due = s.due_on.clone();
    s.status = change.status.as_str().into();
    if let Some(u) = change.unit {
        s.unit_id = Some(u);
    }
    if let Some(o) = change.outcome {
        s.outcome = Some(o.as_str().into());
    }
    let mut note: Option<String> = None;
    let mut notify: Option<(String, String)> = None;
    match &action {
        Action::Accept { unit: Some(_) } | Action::Route { .. } if s.due_on.is_none() => {
            let received = day(&m.received_on).unwrap_or(today);
            s.due_on = Some(due_date(&cal, received, days).to_string());
        }
        Action::Reject { reason, note: extra } => {
            let text = if extra.trim().is_empty() {
                reason.label_zh().to_owned()
            } else {
                format!("{}（{}）", reason.label_zh(), extra.trim())
            };
            s.outcome_note = Some(text.clone());
            s.notified_on = Some(today.to_string());
            note = Some(text.clone());
            notify = Some((
                format!("您的留言 {} 不予受理", m.query_code),
                format!("您的留言“{}”不予受理：{text}。", m.title),
            ));
        }
        Action::Extend { days: d, reason } => {
            let current = s.due_on.as_deref().and_then(day).unwrap_or(today);
            s.due_on = Some(cal.add_working_days(current, *d).to_string());
            s.extended = true;
            s.extension_days = i64::from(*d);
            note = Some(format!("延期{d}个工作日：{}", reason.trim()));
            notify = Some((
                format!("您的留言 {} 延期答复", m.query_code),
                format!(
                    "您的留言“{}”需延期办理，预计于{}前答复。原因：{}",
                    m.title,
                    s.due_on.clone().unwrap_or_default(),
                    reason.trim()
                ),
            ));
        }
        Action::Reply {
            text,
            outcome,
            note: extra,
        } => {
            s.reply_text = Some(text.trim().to_owned());
            s.reply_unit_id = s.unit_id;
            s.replied_on = Some(today.to_string());
            s.outcome_note = (!extra.trim().is_empty()).then(|| extra.trim().to_owned());
            note = Some(format!(
                "{}{}",
                outcome.label_zh(),
                s.outcome_note.as_ref().map(|n| format!("：{n}")).unwrap_or_default()
            ));
        }
        Action::Approve => {
            s.notified_on = Some(today.to_string());
            notify = Some((
                format!("您的留言 {} 已答复", m.query_code),
                format!(
                    "您的留言“{}”已答复，请凭查询码 {} 查看答复并评价；15日内如问题仍未解决，可申请重新办理。",
                    m.title, m.query_code
                ),
            ));
        }
        Action::SendBack { comment } => note = Some(comment.trim().to_owned()),
        Action::Reopen { reason } => {
            s.reopened += 1;
            s.outcome = None;
            s.outcome_note = None;
            s.notified_on = None;
            s.due_on = Some(due_date(&cal, today, days).to_string());
            note = Some(reason.trim().to_owned());
        }
        _ => {}
    }
    if let Action::Route { unit } = &action {
        note = Some(state.store.get_unit(*unit).await.map(|u| u.name).unwrap_or_default());
    }
    let due_changed = s.due_on != old_due;
    let kind = kind_of(&action);
    let mut tx = state.store.begin().await?;
    tx.set_mailbox_state(m.id, &s, due_changed).await?;
    tx.add_mailbox_event(m.id, kind, note.as_deref(), s.unit_id, actor, &today.to_string())
        .await?;
    if let Some((subject, body)) = notify {
        let (channel, to) = match &m.contact_email {
            Some(e) => ("email", e.clone()),
            None => ("sms", m.contact_phone.clone()),
        };
        tx.enqueue_outbox(channel, &to, &subject, &body, "mailbox_message", m.id).await?;
    }
    tx.audit(
        NewEntry::new(actor, format!("mailbox.{kind}"), "mailbox_message", m.id)
            .unit(s.unit_id.or(Some(office_of(site))))
            .detail(serde_json::json!({ "code": m.query_code, "status": s.status, "outcome": s.outcome, "due_on": s.due_on })),
    )
    .await?;
    tx.commit().await?;
    if matches!(action, Action::Route { .. } | Action::Accept { unit: Some(_) }) {
        state.mailbox.invalidate(site.id);
    }
    state.content_changed();
    Ok(Ok(()))
}

/// The writer rates an answered message (1–5).
pub async fn rate(state: &AppState, m: &MessageRow, rating: u8, note: &str) -> AppResult<Result<(), &'static str>> {
    if m.status != "answered" || m.outcome.as_deref() == Some(Outcome::NotAccepted.as_str()) {
        return Ok(Err("留言答复后才能评价"));
    }
    if !(1..=5).contains(&rating) {
        return Ok(Err("请选择1至5分的评价"));
    }
    let note: String = note.trim().chars().take(500).collect();
    let today = state.clock.now().date_naive().to_string();
    let mut tx = state.store.begin().await?;
    tx.rate_mailbox(m.id, i64::from(rating), (!note.is_empty()).then_some(note.as_str()))
        .await?;
    tx.add_mailbox_event(
        m.id,
        "rated",
        Some(gongkai_domain::mailbox::rating_label(rating)),
        None,
        "writer",
        &today,
    )
    .await?;
    tx.audit(NewEntry::new("public:writer", "mailbox.rate", "mailbox_message", m.id).detail(serde_json::json!({ "rating": rating })))
        .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The office publishes (or withdraws) an answered message whose writer
/// agreed to publication.
pub async fn set_published(state: &AppState, session: &Session, m: &MessageRow, publish: bool) -> AppResult<Result<(), &'static str>> {
    let site = crate::tasks::site_of(state, m.site_id).await?;
    let units = state.store.list_units().await?;
    if !is_office(session, &site, &units) {
        return Err(AppError::forbidden());
    }
    if publish {
        if m.wants_private {
            return Ok(Err("留言人选择了不公开，不能发布"));
        }
        if m.status != "answered" || m.outcome.as_deref() == Some(Outcome::NotAccepted.as_str()) {
            return Ok(Err("只有已答复的留言才能公开"));
        }
    }
    let mut tx = state.store.begin().await?;
    tx.set_mailbox_published(m.id, publish).await?;
    tx.audit(
        NewEntry::new(
            session.user.username.clone(),
            if publish { "mailbox.publish" } else { "mailbox.unpublish" },
            "mailbox_message",
            m.id,
        )
        .unit(m.unit_id)
        .detail(serde_json::json!({ "code": m.query_code })),
    )
    .await?;
    tx.commit().await?;
    state.content_changed();
    Ok(Ok(()))
}

/// What the public sees of a published message: the five fields of the
/// seed, masked, under the unit's name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublicMessage {
    pub id: i64,
    pub category: &'static str,
    pub summary: String,
    pub content: String,
    pub received_on: String,
    pub replied_on: String,
    pub unit: String,
    pub reply: String,
    pub outcome: &'static str,
    pub outcome_note: String,
}

pub fn public_view(m: &MessageRow, unit_names: &HashMap<i64, String>, phones: &[String]) -> PublicMessage {
    use gongkai_domain::mailbox::{mask_for_publication, summary};
    PublicMessage {
        id: m.id,
        category: Category::parse(&m.category).map_or("其他", |c| c.label_zh()),
        summary: summary(&m.title, &m.content, phones),
        content: mask_for_publication(&m.content, phones),
        received_on: m.received_on.clone(),
        replied_on: m.notified_on.clone().or(m.replied_on.clone()).unwrap_or_default(),
        unit: m
            .reply_unit_id
            .or(m.unit_id)
            .and_then(|u| unit_names.get(&u).cloned())
            .unwrap_or_default(),
        reply: mask_for_publication(m.reply_text.as_deref().unwrap_or_default(), phones),
        outcome: m.outcome.as_deref().and_then(Outcome::parse).map_or("", |o| o.label_zh()),
        outcome_note: mask_for_publication(m.outcome_note.as_deref().unwrap_or_default(), phones),
    }
}

/// Reminders and escalations of messages and calls due (the shared rule
/// of `gongkai_domain::dispatch`); run every minute with the Q&A tickets.
pub async fn run_deadlines(state: &AppState) -> AppResult<(usize, usize)> {
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let sites = state.store.list_sites().await?;
    let mut tally = Tally::default();
    let office = |site_id: i64| sites.iter().find(|s| s.id == site_id).map_or(0, office_of);
    for m in state.store.mailbox_open_with_unit().await? {
        let Some(due) = m.due_on.as_deref().and_then(day) else { continue };
        let action = deadline_action(&cal, today, due, m.reminded_at.is_some(), m.escalated_at.is_some());
        if action == DeadlineAction::Nothing {
            continue;
        }
        let remind = action == DeadlineAction::Remind;
        let title: String = m.title.chars().take(60).collect();
        let notice = Notice {
            action: "mailbox",
            entity: "mailbox_message",
            id: m.id,
            unit_id: m.unit_id,
            remind,
            to: if remind { m.unit_id.unwrap_or_default() } else { office(m.site_id) },
            due,
            subject: if remind {
                format!("留言 {} 将于 {due} 到期", m.query_code)
            } else {
                format!("留言 {} 已超期", m.query_code)
            },
            body: if remind {
                format!("请于 {due} 前答复留言“{title}”。")
            } else {
                format!("留言“{title}”已于 {due} 到期仍未答复，请督办。")
            },
        };
        let mut tx = state.store.begin().await?;
        notice.write(&mut tx).await?;
        tx.mark_mailbox(m.id, remind).await?;
        tx.commit().await?;
        tally.count(remind);
    }
    for c in state.store.phone_calls_open().await? {
        let Some(due) = c.due_on.as_deref().and_then(day) else { continue };
        let action = deadline_action(&cal, today, due, c.reminded_at.is_some(), c.escalated_at.is_some());
        if action == DeadlineAction::Nothing {
            continue;
        }
        let remind = action == DeadlineAction::Remind;
        let notice = Notice {
            action: "call",
            entity: "phone_call",
            id: c.id,
            unit_id: Some(c.unit_id),
            remind,
            to: if remind { c.unit_id } else { office(c.site_id) },
            due,
            subject: format!("来电 #{} {}", c.id, if remind { "将到期" } else { "已超期" }),
            body: format!("来电“{}”须于 {due} 前答复。", c.question.chars().take(60).collect::<String>()),
        };
        let mut tx = state.store.begin().await?;
        notice.write(&mut tx).await?;
        tx.mark_phone_call(c.id, remind).await?;
        tx.commit().await?;
        tally.count(remind);
    }
    Ok(tally.pair())
}

/// Statistics of a site's messages in a year: per unit and per month.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StatLine {
    pub label: String,
    pub received: u64,
    pub answered: u64,
    pub on_time: u64,
    /// Working days from receipt to the writer being told, summed.
    pub reply_days: u64,
    pub rated: u64,
    pub rating_sum: u64,
    pub satisfied: u64,
}

impl StatLine {
    pub fn on_time_rate(&self) -> String {
        pct(self.on_time, self.answered)
    }

    pub fn average_days(&self) -> String {
        if self.answered == 0 {
            "—".into()
        } else {
            format!("{:.1}", self.reply_days as f64 / self.answered as f64)
        }
    }

    pub fn satisfaction(&self) -> String {
        pct(self.satisfied, self.rated)
    }

    fn add(&mut self, cal: &gongkai_domain::calendar::Calendar, m: &MessageRow) {
        self.received += 1;
        if m.status == "answered"
            && let (Some(told), Some(received)) = (m.notified_on.as_deref().and_then(day), day(&m.received_on))
        {
            self.answered += 1;
            self.reply_days += u64::from(cal.working_days_between(received, told));
            if m.due_on
                .as_deref()
                .and_then(day)
                .is_none_or(|d| gongkai_domain::dispatch::on_time(told, d))
            {
                self.on_time += 1;
            }
        }
        if let Some(r) = m.rating {
            self.rated += 1;
            self.rating_sum += r as u64;
            self.satisfied += u64::from(r >= 4);
        }
    }
}

fn pct(a: u64, b: u64) -> String {
    if b == 0 {
        "—".into()
    } else {
        format!("{:.1}%", a as f64 * 100.0 / b as f64)
    }
}

/// (total, per unit, per month) of a year.
pub async fn stats(state: &AppState, site: &Site, year: i32) -> AppResult<(StatLine, Vec<StatLine>, Vec<StatLine>)> {
    let cal = state.calendar().await?;
    let rows = state.store.mailbox_year(site.id, year).await?;
    let names: HashMap<i64, String> = state.store.list_units().await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut total = StatLine {
        label: "合计".into(),
        ..Default::default()
    };
    let mut units: std::collections::BTreeMap<String, StatLine> = Default::default();
    let mut months: std::collections::BTreeMap<String, StatLine> = Default::default();
    for m in &rows {
        total.add(&cal, m);
        let unit = m
            .unit_id
            .and_then(|u| names.get(&u).cloned())
            .unwrap_or_else(|| "（未分办）".into());
        units
            .entry(unit.clone())
            .or_insert_with(|| StatLine {
                label: unit,
                ..Default::default()
            })
            .add(&cal, m);
        let month = m.received_on.get(..7).unwrap_or_default().to_owned();
        months
            .entry(month.clone())
            .or_insert_with(|| StatLine {
                label: month,
                ..Default::default()
            })
            .add(&cal, m);
    }
    Ok((total, units.into_values().collect(), months.into_values().collect()))
}
