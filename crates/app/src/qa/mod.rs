//! The policy consultation Q&A library (政策咨询问答库) in the app: the
//! matcher each node keeps in memory per site, immediate answers, the
//! consultation ledger (登记台账) with its 5-working-day tickets, replies to
//! consultants through the outbox, and turning replies into entries.
//!
//! Rule: the county responsibility list, “加强政策咨询服务” items 1–5 (see
//! `gongkai_domain::qa`). Pages: `portal` (一网答), `admin` (library,
//! synonyms, agent screen, tickets, reports); JSON: `api`; CLI: `import`;
//! benchmark: `bench`.

pub mod admin;
pub mod api;
pub mod bench;
pub mod demo;
pub mod import;
pub mod portal;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use gongkai_domain::audit::NewEntry;
use gongkai_domain::qa::consult::{DeadlineAction, deadline_action, due_date, ticket_no};
use gongkai_domain::qa::entry::auto_answerable;
use gongkai_domain::qa::synonyms::DEFAULT_SYNONYMS;
use gongkai_domain::qa::{Channel, ConsultState, EntryState, Outcome, ReplyVia, SynonymTable, Thresholds, normalize};
use gongkai_search::qa::{QaDoc, QaIndex};
use gongkai_store::qa::{ConsultationRow, NewConsultation, QaEntryRow};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a node trusts its loaded library before checking the database
/// for changes made on other nodes (changes on this node apply at once).
const LIBRARY_TTL: Duration = Duration::from_secs(2);

/// The decision thresholds on the calibrated confidence (see BENCHMARKS.md,
/// “Policy Q&A matching”).
pub const THRESHOLDS: Thresholds = Thresholds {
    answer: 0.87,
    suggest: 0.39,
};

struct Loaded {
    version: String,
    checked: Instant,
    index: Arc<QaIndex>,
}

/// The matchers of one app node, one per site, rebuilt when the library changes.
#[derive(Default)]
pub struct QaService {
    libraries: std::sync::Mutex<HashMap<i64, Loaded>>,
    reload: tokio::sync::Mutex<()>,
}

impl QaService {
    /// Forgets the loaded libraries (after a change on this node).
    pub fn invalidate(&self) {
        if let Ok(mut l) = self.libraries.lock() {
            for v in l.values_mut() {
                v.checked = Instant::now() - LIBRARY_TTL * 2;
            }
        }
    }

    fn cached(&self, site_id: i64, fresh_only: bool) -> Option<(String, Arc<QaIndex>)> {
        let l = self.libraries.lock().ok()?;
        let v = l.get(&site_id)?;
        (!fresh_only || v.checked.elapsed() < LIBRARY_TTL).then(|| (v.version.clone(), v.index.clone()))
    }
}

/// The site's synonym table (the default table until an editor saves one).
pub async fn synonyms(state: &AppState, site_id: i64) -> AppResult<SynonymTable> {
    let text = state.store.qa_synonyms(site_id).await?;
    Ok(SynonymTable::parse(text.as_deref().unwrap_or(DEFAULT_SYNONYMS)).0)
}

/// The site's matcher, reloaded when the library changed.
pub async fn library(state: &AppState, site_id: i64) -> AppResult<Arc<QaIndex>> {
    let service = &state.qa;
    if let Some((_, ix)) = service.cached(site_id, true) {
        return Ok(ix);
    }
    let today = state.clock.now().date_naive();
    // The date is part of the version: entries pass their validity dates.
    let version = format!("{}|{today}", state.store.qa_version(site_id).await?);
    if let Some((v, ix)) = service.cached(site_id, false)
        && v == version
    {
        if let Ok(mut l) = service.libraries.lock()
            && let Some(e) = l.get_mut(&site_id)
        {
            e.checked = Instant::now();
        }
        return Ok(ix);
    }
    let _guard = service.reload.lock().await;
    if let Some((v, ix)) = service.cached(site_id, false)
        && v == version
    {
        return Ok(ix);
    }
    let (rows, similar) = state.store.qa_matchable(site_id).await?;
    let table = synonyms(state, site_id).await?;
    let mut sim: HashMap<i64, Vec<String>> = HashMap::new();
    for s in similar {
        sim.entry(s.entry_id).or_default().push(s.question);
    }
    let index = tokio::task::spawn_blocking(move || {
        let docs = rows.into_iter().map(|r| {
            let mut questions = vec![r.question];
            questions.extend(sim.remove(&r.id).unwrap_or_default());
            // The matcher loads published entries only.
            let auto_answer = auto_answerable(EntryState::Published, r.needs_review, parse_day(&r.valid_until), today);
            QaDoc {
                id: r.id,
                questions,
                answer: r.answer_text,
                auto_answer,
            }
        });
        QaIndex::build(docs, &table)
    })
    .await
    .map_err(|_| AppError::internal())?;
    let index = Arc::new(index);
    if let Ok(mut l) = service.libraries.lock() {
        l.insert(
            site_id,
            Loaded {
                version,
                checked: Instant::now(),
                index: index.clone(),
            },
        );
    }
    Ok(index)
}

/// A stored `YYYY-MM-DD` date.
pub(crate) fn parse_day(d: &Option<String>) -> Option<chrono::NaiveDate> {
    d.as_deref().and_then(|d| d.parse().ok())
}

/// One matched entry as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MatchView {
    pub id: i64,
    /// The entry's standard question.
    pub question: String,
    /// The answer as plain text; for the hotline, phone and window channels
    /// the entry's short script when it has one.
    pub answer: String,
    /// Calibrated confidence that this entry answers the question (0–1).
    pub score: f32,
    /// Which question matched: the standard one or a similar question.
    pub matched_question: String,
    /// The query's words found in that question.
    pub matched_terms: Vec<String>,
    /// The query's words found only in the answer.
    pub answer_terms: Vec<String>,
    /// Re-ranker score before calibration.
    pub raw_score: f32,
    /// False when the entry may only be suggested (under review or past its validity).
    pub auto_answer: bool,
    pub unit: String,
    pub url: String,
}

/// The outcome of one match.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Matched {
    pub outcome: Outcome,
    pub terms: Vec<String>,
    pub matches: Vec<MatchView>,
    /// Full rows of the matches, in the same order.
    #[serde(skip)]
    pub entries: Vec<QaEntryRow>,
}

/// Matches a question against the site's library.
pub async fn run_match(state: &AppState, site_id: i64, question: &str, channel: Channel, limit: usize) -> AppResult<Matched> {
    let index = library(state, site_id).await?;
    let q = question.to_string();
    let result = tokio::task::spawn_blocking(move || index.search(&q, limit))
        .await
        .map_err(|_| AppError::internal())?;
    let today = state.clock.now().date_naive();
    let ids: Vec<i64> = result.candidates.iter().map(|c| c.id).collect();
    let rows = state.store.qa_entries_by_ids(&ids).await?;
    let similar = state.store.qa_similar_of(&ids).await?;
    let mut by_id: HashMap<i64, QaEntryRow> = rows.into_iter().map(|r| (r.id, r)).collect();
    let mut matches = Vec::new();
    let mut entries = Vec::new();
    for c in &result.candidates {
        // An entry retired since the index was built is skipped.
        let Some(row) = by_id.remove(&c.id).filter(|r| r.state == "published") else {
            continue;
        };
        let matched_question = if c.matched_question == 0 {
            row.question.clone()
        } else {
            similar
                .iter()
                .filter(|s| s.entry_id == c.id)
                .nth(c.matched_question - 1)
                .map(|s| s.question.clone())
                .unwrap_or_else(|| row.question.clone())
        };
        let answer = match (channel, &row.hotline_script) {
            (Channel::Hotline | Channel::Phone | Channel::Window, Some(script)) if !script.trim().is_empty() => script.clone(),
            _ => row.answer_text.clone(),
        };
        matches.push(MatchView {
            id: row.id,
            question: row.question.clone(),
            answer,
            score: c.confidence,
            matched_question,
            matched_terms: c.matched_terms.clone(),
            answer_terms: c.answer_terms.clone(),
            raw_score: c.score,
            // The row is re-read: a change since the index was built counts.
            auto_answer: c.auto_answer && auto_answerable(EntryState::Published, row.needs_review, parse_day(&row.valid_until), today),
            unit: row.unit_name.clone(),
            url: format!("/qa/entries/{}", row.id),
        });
        entries.push(row);
    }
    let outcome = match matches.first() {
        Some(m) => THRESHOLDS.decide(m.score, m.auto_answer),
        None => Outcome::Abstain,
    };
    Ok(Matched {
        outcome,
        terms: result.terms,
        matches,
        entries,
    })
}

/// What a consultant or an agent submits to register a consultation.
#[derive(Debug, Clone, Default)]
pub struct ConsultInput {
    pub question: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub reply_via: Option<ReplyVia>,
    pub publish_consent: bool,
    pub unit_id: Option<i64>,
    pub external_ref: Option<String>,
}

/// A field error in Chinese for pages, with the field for the API.
#[derive(Debug, Clone)]
pub struct InputError {
    pub field: &'static str,
    pub message: String,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl ConsultInput {
    /// Checks the question, the contact details and the reply channel.
    pub fn validate(&self) -> Result<ConsultInput, InputError> {
        let question = self.question.trim().to_string();
        let err = |field, message: &str| {
            Err(InputError {
                field,
                message: message.to_string(),
            })
        };
        if question.is_empty() {
            return err("question", "请填写咨询问题");
        }
        if question.chars().count() > 1000 {
            return err("question", "咨询问题不能超过1000个字");
        }
        let phone = clean(&self.contact_phone);
        let email = clean(&self.contact_email);
        let name = clean(&self.contact_name);
        if name.as_ref().is_some_and(|n| n.chars().count() > 50) {
            return err("contact_name", "姓名不能超过50个字");
        }
        if let Some(p) = &phone
            && !(p.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') && (7..=20).contains(&p.len()))
        {
            return err("contact_phone", "联系电话格式不正确");
        }
        if let Some(e) = &email
            && !(e.contains('@') && e.len() <= 100 && !e.contains(char::is_whitespace))
        {
            return err("contact_email", "电子邮箱格式不正确");
        }
        let via = self.reply_via.unwrap_or(ReplyVia::None);
        match via {
            ReplyVia::Email if email.is_none() => return err("contact_email", "选择邮件答复时请填写电子邮箱"),
            ReplyVia::Sms | ReplyVia::Phone if phone.is_none() => return err("contact_phone", "选择短信或电话答复时请填写联系电话"),
            _ => {}
        }
        if self.external_ref.as_ref().is_some_and(|r| r.chars().count() > 64) {
            return err("external_ref", "外部编号不能超过64个字符");
        }
        Ok(ConsultInput {
            question,
            contact_name: name,
            contact_phone: phone,
            contact_email: email,
            reply_via: Some(via),
            publish_consent: self.publish_consent,
            unit_id: self.unit_id,
            external_ref: clean(&self.external_ref),
        })
    }
}

/// Logs a consultation answered at once with `entry_id`.
pub async fn log_answered(
    state: &AppState,
    site_id: i64,
    channel: Channel,
    question: &str,
    entry_id: i64,
    confidence: f32,
    agent: Option<&str>,
) -> AppResult<i64> {
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_consultation(&NewConsultation {
            site_id,
            channel: channel.as_str().into(),
            question: question.trim().chars().take(1000).collect(),
            question_norm: normalize(question),
            outcome: Outcome::Answer.as_str().into(),
            matched_entry_id: Some(entry_id),
            confidence: Some(f64::from(confidence)),
            state: ConsultState::Answered.as_str().into(),
            unit_id: None,
            due_on: None,
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            reply_via: ReplyVia::None.as_str().into(),
            publish_consent: false,
            external_ref: None,
            access_key: crate::auth::random_token(),
            agent: agent.map(str::to_string),
        })
        .await?;
    tx.count_qa_hit(entry_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Registers a consultation the library could not answer: a ticket for the
/// responsible unit, due in the site's reply period (working days).
pub async fn register(
    state: &AppState,
    site: &gongkai_store::accounts::Site,
    channel: Channel,
    input: &ConsultInput,
    matched: Option<&Matched>,
    agent: Option<&str>,
) -> AppResult<ConsultationRow> {
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let due = due_date(&cal, today, site.settings.qa_reply_days);
    // The unit: as chosen, else the owner of a close entry (one at least
    // worth suggesting), else the supervising office.
    let unit_id = match input.unit_id {
        Some(u) => Some(u),
        None => matched
            .filter(|m| m.matches.first().is_some_and(|v| v.score >= THRESHOLDS.suggest))
            .and_then(|m| m.entries.first())
            .and_then(|e| e.unit_id)
            .or(Some(office_of(site))),
    };
    if let Some(u) = unit_id {
        state
            .store
            .get_unit(u)
            .await
            .map_err(|_| AppError::invalid("unit", "承办单位不存在"))?;
    }
    let top = matched.and_then(|m| m.matches.first());
    let mut tx = state.store.begin().await?;
    let id = tx
        .insert_consultation(&NewConsultation {
            site_id: site.id,
            channel: channel.as_str().into(),
            question: input.question.clone(),
            question_norm: normalize(&input.question),
            outcome: matched.map_or(Outcome::Abstain, |m| m.outcome).as_str().into(),
            matched_entry_id: top.map(|m| m.id),
            confidence: top.map(|m| f64::from(m.score)),
            state: ConsultState::Open.as_str().into(),
            unit_id,
            due_on: Some(due.to_string()),
            contact_name: input.contact_name.clone(),
            contact_phone: input.contact_phone.clone(),
            contact_email: input.contact_email.clone(),
            reply_via: input.reply_via.unwrap_or(ReplyVia::None).as_str().into(),
            publish_consent: input.publish_consent,
            external_ref: input.external_ref.clone(),
            access_key: crate::auth::random_token(),
            agent: agent.map(str::to_string),
        })
        .await?;
    tx.audit(
        NewEntry::new(agent.unwrap_or("public"), "consultation.register", "consultation", id)
            .unit(unit_id)
            .detail(serde_json::json!({ "channel": channel.as_str(), "due_on": due.to_string(), "ticket": ticket_no(today, id) })),
    )
    .await?;
    tx.commit().await?;
    Ok(state.store.consultation(id).await?)
}

/// The unit supervising the site's consultations (site setting, else the
/// site's owning unit).
pub fn office_of(site: &gongkai_store::accounts::Site) -> i64 {
    site.settings.qa_office_unit_id.unwrap_or(site.owner_unit_id)
}

/// May the caller act for the site's office (a system administrator, or a
/// case handler of the office unit)? The task lists and the mailbox use it.
pub fn is_office(session: &crate::auth::Session, site: &gongkai_store::accounts::Site, units: &[gongkai_store::accounts::Unit]) -> bool {
    use gongkai_domain::accounts::{Action, Scope};
    session.is_system_admin()
        || units
            .iter()
            .find(|u| u.id == office_of(site))
            .is_some_and(|o| session.can(Action::HandleCases, Scope::Unit(&o.unit_path())))
}

/// The ticket number shown to consultants.
pub fn ticket_of(c: &ConsultationRow) -> String {
    let day = c.created_at.get(..10).and_then(|d| d.parse().ok()).unwrap_or_default();
    ticket_no(day, c.id)
}

/// Records a unit's reply, notifies the consultant through the outbox and
/// publishes the reply if they agreed.
pub async fn reply(state: &AppState, actor: &str, c: &ConsultationRow, text: &str, publish: bool) -> AppResult<()> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("reply", "答复内容不能为空"));
    }
    if text.chars().count() > 20_000 {
        return Err(AppError::invalid("reply", "答复内容不能超过20000个字"));
    }
    let today = state.clock.now().date_naive();
    let publish = publish && c.publish_consent;
    let mut tx = state.store.begin().await?;
    if !tx.reply_consultation(c.id, text, actor, &today.to_string(), publish).await? {
        return Err(AppError::conflict("该咨询已答复，不能重复答复"));
    }
    let ticket = ticket_of(c);
    let via = ReplyVia::parse(&c.reply_via).unwrap_or(ReplyVia::None);
    let (channel, recipient) = match via {
        ReplyVia::Email => ("email", c.contact_email.clone()),
        ReplyVia::Sms => ("sms", c.contact_phone.clone()),
        _ => ("", None),
    };
    let mut queued = None;
    if let Some(to) = recipient {
        let subject = format!("您的政策咨询（{ticket}）已答复");
        let body = match via {
            ReplyVia::Sms => format!("【政策咨询】您的咨询{ticket}已答复：{}", text.chars().take(300).collect::<String>()),
            _ => format!("您好！\n\n您咨询的问题：{}\n\n答复如下：\n{text}\n\n编号：{ticket}", c.question),
        };
        queued = Some(tx.enqueue_outbox(channel, &to, &subject, &body, "consultation", c.id).await?);
    }
    let on_time = c
        .due_on
        .as_deref()
        .and_then(|d| d.parse().ok())
        .is_none_or(|due| gongkai_domain::qa::consult::on_time(today, due));
    tx.audit(
        NewEntry::new(actor, "consultation.reply", "consultation", c.id)
            .unit(c.unit_id)
            .detail(serde_json::json!({ "ticket": ticket, "published": publish, "notified": via.as_str(), "outbox": queued, "on_time": on_time })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Turns a reply into a new library entry (a draft for review) owned by the
/// unit that replied.
pub async fn reply_to_entry(state: &AppState, actor: &str, c: &ConsultationRow, question: &str, answer: &str) -> AppResult<i64> {
    let text = gongkai_domain::qa::NewEntryText::parse(question, answer, &[]).map_err(|e| AppError::invalid(e.field(), e.to_string()))?;
    let unit_name = match c.unit_id {
        Some(u) => state.store.get_unit(u).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let fields = entry_fields(&text.question, &text.answer, None, c.unit_id, unit_name, None, None);
    let mut tx = state.store.begin().await?;
    let id = tx.insert_qa_entry(c.site_id, None, &fields, "draft", "reply", actor).await?;
    tx.set_consultation_entry(c.id, id).await?;
    tx.audit(
        NewEntry::new(actor, "qa.entry.create", "qa_entry", id)
            .unit(c.unit_id)
            .detail(serde_json::json!({ "from_consultation": c.id })),
    )
    .await?;
    tx.commit().await?;
    state.qa.invalidate();
    Ok(id)
}

/// Adds a consultation's question as a similar question of an existing entry.
pub async fn question_to_similar(state: &AppState, actor: &str, c: &ConsultationRow, entry_id: i64) -> AppResult<()> {
    let entry = state
        .store
        .qa_entry(entry_id)
        .await
        .map_err(|_| AppError::invalid("entry", "问答条目不存在"))?;
    if entry.site_id != c.site_id {
        return Err(AppError::invalid("entry", "问答条目不属于本站点"));
    }
    let q: String = c.question.split_whitespace().collect::<Vec<_>>().join(" ");
    let q: String = q.chars().take(gongkai_domain::qa::entry::QUESTION_MAX).collect();
    let mut tx = state.store.begin().await?;
    tx.add_qa_similar(entry_id, &q).await?;
    tx.set_consultation_entry(c.id, entry_id).await?;
    tx.audit(
        NewEntry::new(actor, "qa.entry.similar_add", "qa_entry", entry_id)
            .unit(entry.unit_id)
            .detail(serde_json::json!({ "from_consultation": c.id })),
    )
    .await?;
    tx.commit().await?;
    state.qa.invalidate();
    Ok(())
}

/// Builds the stored fields of an entry; the answer is sanitised HTML when it
/// looks like HTML, otherwise plain text turned into paragraphs.
pub fn entry_fields(
    question: &str,
    answer: &str,
    hotline_script: Option<String>,
    unit_id: Option<i64>,
    unit_name: String,
    officer: Option<String>,
    valid_until: Option<String>,
) -> gongkai_store::qa::QaEntryFields {
    let looks_html = answer.contains("</p>") || answer.contains("<br") || answer.contains("</li>") || answer.contains("</a>");
    let (html, text) = if looks_html {
        let html = gongkai_domain::catalogue::sanitize_body(answer);
        let text = gongkai_domain::catalogue::html_to_text(&html);
        (html, text)
    } else {
        let html = answer
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("<p>{}</p>", html_escape(l)))
            .collect::<String>();
        (html, answer.trim().to_string())
    };
    gongkai_store::qa::QaEntryFields {
        question: question.to_string(),
        answer: html,
        answer_text: text,
        hotline_script,
        unit_id,
        unit_name,
        officer,
        valid_until,
    }
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The deadline job: reminds units two working days before a ticket is due
/// and escalates overdue tickets to the government office (the site's owner).
pub async fn run_deadlines(state: &AppState) -> AppResult<(usize, usize)> {
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let sites = state.store.list_sites().await?;
    let (mut reminded, mut escalated) = (0, 0);
    for c in state.store.open_consultations().await? {
        let Some(due) = c.due_on.as_deref().and_then(|d| d.parse().ok()) else {
            continue;
        };
        let action = deadline_action(&cal, today, due, c.reminded_at.is_some(), c.escalated_at.is_some());
        let ticket = ticket_of(&c);
        let mut tx = state.store.begin().await?;
        match action {
            DeadlineAction::Nothing => continue,
            DeadlineAction::Remind => {
                let unit = c.unit_id.unwrap_or_default();
                tx.enqueue_outbox(
                    "notice",
                    &format!("unit:{unit}"),
                    &format!("政策咨询 {ticket} 将于 {due} 到期"),
                    &format!(
                        "请于 {due} 前答复政策咨询 {ticket}：{}",
                        c.question.chars().take(100).collect::<String>()
                    ),
                    "consultation",
                    c.id,
                )
                .await?;
                tx.mark_consultation(c.id, true).await?;
                tx.audit(
                    NewEntry::new("system", "consultation.remind", "consultation", c.id)
                        .unit(c.unit_id)
                        .detail(serde_json::json!({ "due_on": due.to_string() })),
                )
                .await?;
                reminded += 1;
            }
            DeadlineAction::Escalate => {
                let office = sites.iter().find(|s| s.id == c.site_id).map_or(0, office_of);
                tx.enqueue_outbox(
                    "notice",
                    &format!("unit:{office}"),
                    &format!("政策咨询 {ticket} 已超期"),
                    &format!("政策咨询 {ticket} 已于 {due} 到期仍未答复，请督办。"),
                    "consultation",
                    c.id,
                )
                .await?;
                tx.mark_consultation(c.id, false).await?;
                tx.audit(
                    NewEntry::new("system", "consultation.escalate", "consultation", c.id)
                        .unit(c.unit_id)
                        .detail(serde_json::json!({ "due_on": due.to_string(), "escalated_to": office })),
                )
                .await?;
                escalated += 1;
            }
        }
        tx.commit().await?;
    }
    Ok((reminded, escalated))
}

/// The registered answer source of the portal search (搜问一体).
pub struct QaAnswers;

impl crate::search::AnswerSource for QaAnswers {
    fn answers<'a>(&'a self, state: &'a AppState, site_id: i64, query: &'a str, limit: usize) -> crate::search::BoxedAnswers<'a> {
        Box::pin(async move {
            match run_match(state, site_id, query, Channel::Web, limit).await {
                Ok(m) => m
                    .matches
                    .into_iter()
                    .filter(|v| v.score >= THRESHOLDS.suggest)
                    .map(|v| crate::search::Answer {
                        question: v.question,
                        answer: shorten(&v.answer, 120),
                        url: v.url,
                        score: v.score,
                    })
                    .collect(),
                Err(e) => {
                    tracing::warn!(error = %e, "Q&A answers for search failed");
                    Vec::new()
                }
            }
        })
    }
}

pub fn shorten(s: &str, n: usize) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
