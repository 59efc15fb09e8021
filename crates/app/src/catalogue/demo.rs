//! Demo content of the catalogue: the founding document itself, normative
//! documents (one repealed and replaced), interpretations of all three kinds,
//! a draft in its second review stage and a draft held by the privacy guard.

use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use gongkai_domain::catalogue::{ReviewAction, Validity};
use gongkai_store::accounts::GrantRow;
use std::sync::Arc;

async fn session_for(state: &AppState, username: &str) -> AppResult<Arc<Session>> {
    let user = state.store.user_by_username(username).await?.ok_or_else(AppError::not_found)?;
    let grant_rows = state.store.grants_of(user.id).await?;
    let grants = grant_rows.iter().filter_map(GrantRow::to_grant).collect();
    Ok(Arc::new(Session {
        token_hash: String::new(),
        csrf: String::new(),
        user,
        grants,
        grant_rows,
    }))
}

async fn column_id(state: &AppState, site_id: i64, slug: &str) -> AppResult<i64> {
    Ok(state.store.column_by_slug(site_id, slug).await?.ok_or_else(AppError::not_found)?.id)
}

struct Doc<'a> {
    unit: &'a str,
    issuer: &'a str,
    column: &'a str,
    title: &'a str,
    doc_no: &'a str,
    written_on: &'a str,
    topic: &'a str,
    body: &'a str,
    transcript: &'a str,
    links: Vec<i64>,
}

async fn draft(state: &AppState, editor: &Session, site_id: i64, d: Doc<'_>) -> AppResult<i64> {
    let unit = state.store.unit_by_code(d.unit).await?.ok_or_else(AppError::not_found)?;
    let input = super::DocumentInput {
        column_id: column_id(state, site_id, d.column).await?,
        title: d.title.into(),
        issuer: d.issuer.into(),
        doc_no: d.doc_no.into(),
        written_on: d.written_on.into(),
        topic: d.topic.into(),
        body: d.body.into(),
        transcript: d.transcript.into(),
        links: d.links,
        ..Default::default()
    };
    super::create_document(state, editor, site_id, unit.id, &input)
        .await?
        .map_err(|(field, msg)| AppError::from(anyhow::anyhow!("demo document `{}`: {field}: {msg}", d.title)))
}

/// Submits and approves through every stage; documents written before the
/// platform existed keep their historical publication date.
async fn publish(state: &AppState, editor: &Session, reviewer: &Session, id: i64) -> AppResult<()> {
    publish_on(state, editor, reviewer, id, None).await
}

async fn publish_on(state: &AppState, editor: &Session, reviewer: &Session, id: i64, on: Option<&str>) -> AppResult<()> {
    let doc = state.store.get_document(id).await?;
    super::apply_action(state, editor, &doc, ReviewAction::Submit)
        .await?
        .map_err(|m| anyhow::anyhow!("demo submit {id}: {m}"))?;
    for _ in 0..3 {
        let doc = state.store.get_document(id).await?;
        if doc.state == "published" {
            break;
        }
        super::apply_action(state, reviewer, &doc, ReviewAction::Approve)
            .await?
            .map_err(|m| anyhow::anyhow!("demo approve {id}: {m}"))?;
    }
    if let Some(on) = on {
        let mut tx = state.store.begin().await?;
        tx.set_state(id, "published", None, None, Some(on.to_string())).await?;
        tx.commit().await?;
    }
    Ok(())
}

const SEED_BODY: &str = "<p>各乡镇人民政府、街道办事处，县政府各部门，有关单位：</p>\
<p>为贯彻落实《市政府办公厅关于印发贯彻落实国务院办公厅2021年政务公开工作要点任务分工的通知》（渝府办发〔2021〕50号）精神，经县政府同意，现将《贯彻落实市政府办公厅2021年政务公开工作要点任务分工巫山县责任清单》印发给你们，并提出如下工作要求，请认真抓好贯彻落实。</p>\
<p>一、进一步提高政治站位。二、进一步强化工作落实。三、进一步强化审核把关：严格落实“三审三校”制度，依法保护个人隐私，除惩戒公示、强制性信息披露外，公开时要去标识化处理。四、进一步强化督促指导。</p>\
<p>巫山县人民政府办公室</p><p>2021年6月1日</p>";

/// Seeds the catalogue once (when the site has no documents yet).
pub async fn seed(state: &AppState, site_id: i64) -> AppResult<()> {
    super::ensure_default_columns(&state.store, site_id, "demo").await?;
    let any = gongkai_store::catalogue::DocumentFilter {
        site_id: Some(site_id),
        ..Default::default()
    };
    if state.store.count_documents(&any).await? > 0 {
        return Ok(());
    }
    let admin = session_for(state, "admin").await?;
    let editor = session_for(state, "czj_editor").await?;
    let reviewer = session_for(state, "czj_reviewer").await?;
    let office_reviewer = session_for(state, "zfb_reviewer").await?;

    let seed_doc = draft(
        state,
        &admin,
        site_id,
        Doc {
            unit: "wsx-zfb",
            issuer: "巫山县人民政府办公室",
            column: "other-documents",
            title: "巫山县人民政府办公室关于印发贯彻落实市政府办公厅2021年政务公开工作要点任务分工巫山县责任清单的通知",
            doc_no: "巫山府办发〔2021〕48号",
            written_on: "2021-06-01",
            topic: "general",
            body: SEED_BODY,
            transcript: "",
            links: vec![],
        },
    )
    .await?;
    publish_on(state, &admin, &office_reviewer, seed_doc, Some("2021-06-01")).await?;

    let old = draft(
        state,
        &editor,
        site_id,
        Doc {
            unit: "wsx-czj",
            issuer: "巫山县财政局",
            column: "normative-documents",
            title: "巫山县财政局关于印发《巫山县惠民惠农财政补贴资金“一卡通”管理办法（试行）》的通知",
            doc_no: "巫山财发[2019]12号",
            written_on: "2019-03-15",
            topic: "finance_audit",
            body: "<p>为规范惠民惠农财政补贴资金“一卡通”发放管理，制定本办法。</p><p>第一条　补贴资金通过社会保障卡或惠民惠农“一卡通”账户发放。</p>",
            transcript: "",
            links: vec![],
        },
    )
    .await?;
    publish_on(state, &editor, &reviewer, old, Some("2019-03-20")).await?;
    let new = draft(
        state,
        &editor,
        site_id,
        Doc {
            unit: "wsx-czj",
            issuer: "巫山县财政局",
            column: "normative-documents",
            title: "巫山县财政局关于印发《巫山县惠民惠农财政补贴资金“一卡通”管理办法》的通知",
            doc_no: "巫山财发（2021）7号",
            written_on: "2021-04-20",
            topic: "finance_audit",
            body: "<p>为进一步规范惠民惠农财政补贴资金“一卡通”发放管理，保障资金安全，制定本办法。</p><p>第一条　纳入“一卡通”管理的补贴政策清单及发放信息按季度公开。</p>",
            transcript: "",
            links: vec![],
        },
    )
    .await?;
    publish_on(state, &editor, &reviewer, new, Some("2021-04-25")).await?;
    let old_doc = state.store.get_document(old).await?;
    let repealed_on = chrono::NaiveDate::from_ymd_opt(2021, 5, 1).ok_or_else(AppError::internal)?;
    super::change_validity(
        state,
        "czj_reviewer",
        &old_doc,
        Validity::Repealed,
        repealed_on,
        Some("已被新办法替代"),
        Some(new),
    )
    .await?;

    for (column, title, body, transcript) in [
        (
            "interpretations-text",
            "《巫山县惠民惠农财政补贴资金“一卡通”管理办法》政策解读",
            "<p>一、制定背景。二、主要内容：补贴政策清单、发放信息按季度公开。三、适用对象：享受惠民惠农补贴的城乡居民。</p>",
            "",
        ),
        (
            "interpretations-image",
            "一图读懂惠民惠农财政补贴“一卡通”",
            "<p>图解：补贴从申请到到账的四个环节。</p>",
            "图解内容：申请、审核、公示、发放四个环节。",
        ),
        (
            "interpretations-video",
            "视频解读：补贴资金如何通过“一卡通”发放",
            "<p>县财政局政策解读专员讲解“一卡通”发放流程。</p>",
            "各位群众好，今天为大家介绍惠民惠农财政补贴“一卡通”发放流程：第一步申请，第二步审核，第三步公示，第四步发放到卡。",
        ),
    ] {
        let id = draft(
            state,
            &editor,
            site_id,
            Doc {
                unit: "wsx-czj",
                issuer: "巫山县财政局",
                column,
                title,
                doc_no: "",
                written_on: "",
                topic: "",
                body,
                transcript,
                links: vec![new],
            },
        )
        .await?;
        if column == "interpretations-image" {
            let doc = state.store.get_document(id).await?;
            super::files::upload(state, &editor, &doc, "一图读懂.png", demo_png())
                .await?
                .map_err(|m| anyhow::anyhow!("demo image: {m}"))?;
        }
        publish(state, &editor, &reviewer, id).await?;
    }
    // An interpretation of the repealed document: queued for review.
    let stale = draft(
        state,
        &editor,
        site_id,
        Doc {
            unit: "wsx-czj",
            issuer: "巫山县财政局",
            column: "interpretations-text",
            title: "《巫山县惠民惠农财政补贴资金“一卡通”管理办法（试行）》解读",
            doc_no: "",
            written_on: "",
            topic: "",
            body: "<p>试行办法的主要内容解读。</p>",
            transcript: "",
            links: vec![old],
        },
    )
    .await?;
    publish(state, &editor, &reviewer, stale).await?;
    let mut tx = state.store.begin().await?;
    tx.set_needs_review(&[stale], true).await?;
    tx.commit().await?;

    // A draft in its second review stage (复审).
    let in_review = draft(
        state,
        &editor,
        site_id,
        Doc {
            unit: "wsx-czj",
            issuer: "巫山县财政局",
            column: "budgets",
            title: "巫山县2021年县级部门预算公开说明",
            doc_no: "",
            written_on: "2021-03-01",
            topic: "finance_audit",
            body: "<p>按照市财政局统一要求，公开县级部门预算及“三公”经费预算情况。</p>",
            transcript: "",
            links: vec![],
        },
    )
    .await?;
    let d = state.store.get_document(in_review).await?;
    super::apply_action(state, &editor, &d, ReviewAction::Submit)
        .await?
        .map_err(|m| anyhow::anyhow!("{m}"))?;
    let d = state.store.get_document(in_review).await?;
    super::apply_action(state, &reviewer, &d, ReviewAction::Approve)
        .await?
        .map_err(|m| anyhow::anyhow!("{m}"))?;

    // A draft the privacy guard holds: it contains a resident ID number.
    draft(
        state,
        &editor,
        site_id,
        Doc {
            unit: "wsx-czj",
            issuer: "巫山县财政局",
            column: "subsidies",
            title: "2021年第二季度耕地地力保护补贴发放名册（草稿）",
            doc_no: "",
            written_on: "",
            topic: "finance_audit",
            body: "<p>经公示无异议，现发放补贴如下：</p><p>姓名：张三，身份证号码：11010519491231002X，补贴金额：1280元。</p>",
            transcript: "",
            links: vec![],
        },
    )
    .await?;

    // The county's 十四五 plan in 规划信息: the evidence the task list's
    // first task (公开我县“十四五”规划) is closed with.
    let plan = draft(
        state,
        &admin,
        site_id,
        Doc {
            unit: "wsx-zfb",
            issuer: "巫山县人民政府",
            column: "plans",
            title: "巫山县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要",
            doc_no: "巫山府发〔2021〕5号",
            written_on: "2021-03-05",
            topic: "economy_state_assets",
            body: "<p>本纲要根据《中共巫山县委关于制定巫山县国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》编制，\
阐明全县发展战略意图，明确经济社会发展的主要目标、重点任务和重大举措，是今后五年全县经济社会发展的宏伟蓝图。</p>",
            transcript: "",
            links: vec![],
        },
    )
    .await?;
    publish_on(state, &admin, &office_reviewer, plan, Some("2021-06-18")).await?;
    Ok(())
}

/// An 8×8 PNG in the portal's red, made here so the demo ships no binary.
fn demo_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00,
        0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4B, 0x6D, 0x29, 0xDC, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
        0x58, 0x22, 0x2C, 0x8D, 0x15, 0x31, 0x0C, 0x2D, 0x09, 0x00, 0xA6, 0x34, 0x34, 0x81, 0x97, 0x65, 0x7C, 0xC0, 0x00, 0x00, 0x00, 0x00,
        0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}
