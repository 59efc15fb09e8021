//! The rules of the disclosure catalogue (政府信息公开目录): what a published
//! item is called and numbered, which columns a site has, how an item passes
//! review before it is published, and how its body is cleaned and compared.
//!
//! # What it is for
//!
//! - **Numbers.** [`DocNo`] parses a 文号 such as `巫山府办发〔2021〕48号`
//!   (issuer abbreviation, year, serial) in the forms people actually type and
//!   prints the form of GB/T 9704-2012《党政机关公文格式》7.2.5 ("年份应标全称，
//!   用六角括号“〔 〕”括入；发文顺序号不加“第”字，不编虚位（即1不编为01），在阿拉伯
//!   数字后加“号”字"). [`DocNo::find_in`] finds 文号 in running text.
//!   [`IndexNo`] is the 索引号 the catalogue gives each published item
//!   (《政府信息公开条例》第十二条: "政府信息公开目录包括政府信息的索引、名称、
//!   内容概述、生成日期等内容").
//! - **Columns.** [`default_columns`] is the column tree of a county site,
//!   after the national and Chongqing standard directory. Its 法定主动公开内容
//!   branch holds the information of 条例第十九条 ("对涉及公众利益调整、需要公众
//!   广泛知晓或者需要公众参与决策的政府信息，行政机关应当主动公开") and 第二十条
//!   (e.g. "（一）行政法规、规章和规范性文件" → 法规文件, "（二）机关职能、机构
//!   设置、办公地址、办公时间、联系方式、负责人姓名" → 机构职能, "（三）…规划…" →
//!   规划信息, "（七）财政预算、决算信息" → 预决算). 政策解读 has the three
//!   sub-columns 视频、图片、文字 the seed document (巫山府办发〔2021〕48号)
//!   requires, and 法治政府建设年度报告 is the column it asks every site to set
//!   up. [`column_is_stale`] applies the update intervals that the inspection
//!   indicators of 国办秘函〔2019〕19号 check ("监测时间点前2周内的动态、要闻类
//!   栏目，以及监测时间点前6个月内的通知公告、政策文件类一级栏目").
//! - **Validity.** A document is 现行有效, 失效, 废止 or 已修改 ([`Validity`]).
//!   《政府网站发展指引》(国办发〔2017〕47号) requires that when documents are
//!   "修改、废止、失效等情况，应及时公开，并在已发布的原文件上作出明确标注": the
//!   page stays and carries a banner ([`banner_zh`]). An in-force document
//!   with an expiry date becomes 失效 by itself the day after that date
//!   ([`effective_validity`]).
//! - **Metadata.** [`Title`], [`Genre`] (体裁), [`Topic`] (主题分类),
//!   [`InterpretationKind`]; a policy interpretation must be linked to at
//!   least one policy document (the seed: "政策解读信息要与政策文件相互关联").
//! - **Review.** The seed requires "严格落实“三审三校”制度，严把政治关、法律关、
//!   政策关、保密关、文字关". [`transition`] is the state machine of a document
//!   through a site's 1–3 review stages: nobody approves their own draft, a
//!   rejection needs a comment, and nothing is submitted or published while
//!   the privacy guard or the attachment checks have unresolved findings.
//!   Publishing must happen within 20 working days of the information being
//!   made or changed (条例第二十六条: "属于主动公开范围的政府信息，应当自该政府
//!   信息形成或者变更之日起20个工作日内及时公开"); the deadline itself is
//!   computed with [`crate::calendar`].
//! - **Bodies.** [`sanitize_body`] keeps the HTML a government document needs
//!   and nothing executable; [`html_to_text`] and [`diff_text`] show what
//!   changed between two versions.
//!
//! # What it is not for
//!
//! - Storing columns, documents, versions or allocating index numbers (the
//!   `store` crate; [`next_serial`] is the pure rule it applies).
//! - Scanning bodies for personal data or checking attachments
//!   ([`crate::privacy`], [`crate::files`]); [`transition`] only receives
//!   their verdicts as [`TransitionCtx`] flags.
//! - Permissions (who may review at all is [`crate::accounts::Role::allows`]);
//!   clocks (callers pass `today`); rendering pages.

mod columns;
mod diff;
mod docno;
mod error;
mod metadata;
mod review;
mod sanitize;
mod validity;

pub use columns::{
    ANNUAL_INTERVAL_DAYS, COLUMN_NAME_MAX_CHARS, ColumnKind, ColumnName, ColumnTemplate, NEWS_INTERVAL_DAYS, NOTICE_INTERVAL_DAYS,
    column_is_stale, default_columns, validate_column_name,
};
pub use diff::{DiffLine, DiffTag, diff_text, html_to_text};
pub use docno::{DOC_YEARS, DocNo, DocNoError, DocNoMatch, IndexNo, IndexNoError, next_serial};
pub use error::CatalogueError;
pub use metadata::{Genre, InterpretationKind, TITLE_MAX_CHARS, Title, Topic, check_interpretation_links};
pub use review::{DocState, MAX_REVIEW_STAGES, ReviewAction, TransitionCtx, UnpublishReason, action_label_zh, stage_name, transition};
pub use sanitize::{BODY_CLASSES, sanitize_body, sanitize_body_with};
pub use validity::{Validity, banner_zh, date_zh, effective_validity, first_day_expired, needs_banner};
