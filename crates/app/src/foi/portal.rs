//! The public pages of disclosure on application: the guide and the
//! application form (条例第二十九条, with an identity document upload), the
//! case status page opened by the reference number (dates and outcome only,
//! nothing personal), and the fee estimator (国办函〔2020〕109号).

use super::{Intake, create_case, opt_day};
use crate::auth::RequestCtx;
use crate::catalogue::portal::default_site;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::{Page, portal_page, render};
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_domain::foi::{
    ApplicantType, ApplicationForm, CaseStatus, Channel, Delivery, ExplainLine, FeeEstimate, FeeMethod, FieldError, FormWanted, Outcome,
    estimate, is_reference_number,
};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "portal/foi.html")]
struct ApplyT {
    page: Page,
    form: ApplicationForm,
    errors: Vec<FieldError>,
    types: Vec<(&'static str, String)>,
    forms: Vec<(&'static str, &'static str)>,
    deliveries: Vec<(&'static str, &'static str)>,
}

impl ApplyT {
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

async fn apply_page(state: &AppState, ctx: &RequestCtx, form: ApplicationForm, errors: Vec<FieldError>) -> AppResult<Response> {
    let page = portal_page(state, ctx, "依申请公开").await?;
    render(&ApplyT {
        page,
        form,
        errors,
        types: ApplicantType::ALL.iter().map(|t| (t.as_str(), t.form_label_zh())).collect(),
        forms: FormWanted::ALL.iter().map(|f| (f.as_str(), f.label_zh())).collect(),
        deliveries: Delivery::ALL.iter().map(|d| (d.as_str(), d.label_zh())).collect(),
    })
}

/// `GET /foi`: the guide and the application form.
pub async fn apply(State(state): State<AppState>, ctx: RequestCtx) -> AppResult<Response> {
    let form = ApplicationForm {
        applicant_type: "natural_person".into(),
        form: "paper".into(),
        delivery: "post".into(),
        ..Default::default()
    };
    apply_page(&state, &ctx, form, Vec::new()).await
}

/// `POST /foi/apply` (multipart; the CSRF token travels in the query string).
pub async fn submit(State(state): State<AppState>, ctx: RequestCtx, mut multipart: Multipart) -> AppResult<Response> {
    let mut f = ApplicationForm::default();
    let mut id_file: Option<(String, Vec<u8>)> = None;
    let mut errors = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                errors.push(FieldError {
                    field: "id_file",
                    message: "提交的内容无法读取或超过大小限制（身份证明文件不超过10MB）".into(),
                });
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "id_file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            match field.bytes().await {
                Ok(b) if b.len() > 10 * 1024 * 1024 => errors.push(FieldError {
                    field: "id_file",
                    message: "身份证明文件不能超过10MB".into(),
                }),
                Ok(b) if !b.is_empty() => id_file = Some((file_name, b.to_vec())),
                Ok(_) => {}
                Err(_) => errors.push(FieldError {
                    field: "id_file",
                    message: "身份证明文件上传失败".into(),
                }),
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        let slot = match name.as_str() {
            "applicant_type" => &mut f.applicant_type,
            "name" => &mut f.name,
            "org_code" => &mut f.org_code,
            "contact_person" => &mut f.contact_person,
            "id_type" => &mut f.id_type,
            "id_number" => &mut f.id_number,
            "phone" => &mut f.phone,
            "email" => &mut f.email,
            "address" => &mut f.address,
            "postcode" => &mut f.postcode,
            "description" => &mut f.description,
            "doc_number" => &mut f.doc_number,
            "form" => &mut f.form,
            "delivery" => &mut f.delivery,
            _ => continue,
        };
        *slot = value.chars().take(4000).collect();
    }
    if id_file.is_none() && errors.is_empty() {
        errors.push(FieldError {
            field: "id_file",
            message: "请上传身份证明（身份证件或营业执照的照片、扫描件）".into(),
        });
    }
    if let Some((name, bytes)) = &id_file
        && let Err(m) = super::check_id_file(name, bytes)
    {
        errors.push(FieldError {
            field: "id_file",
            message: m,
        });
    }
    let application = match f.parse() {
        Ok(a) if errors.is_empty() => a,
        Ok(_) => return apply_page(&state, &ctx, f, errors).await,
        Err(mut e) => {
            e.extend(errors);
            return apply_page(&state, &ctx, f, e).await;
        }
    };
    let site = default_site(&state).await?;
    let case = create_case(
        &state,
        &site,
        Intake {
            application,
            channel: Channel::Online,
            receipt: None,
            unit_id: None,
            id_file,
            parent_id: None,
        },
        "portal",
    )
    .await?;
    Ok(Redirect::to(&format!("/foi/status?ref={}&new=1", case.ref_no)).into_response())
}

#[derive(Deserialize, Default)]
pub struct StatusQuery {
    #[serde(rename = "ref", default)]
    ref_no: String,
    new: Option<String>,
}

/// What the public may see of a case.
pub struct PublicStatus {
    pub ref_no: String,
    pub status: &'static str,
    pub submitted_on: String,
    pub received_on: Option<String>,
    pub due_on: Option<String>,
    pub concluded_on: Option<String>,
    pub outcome: Option<String>,
    pub overdue: bool,
    pub explanation: Vec<ExplainLine>,
}

/// The public view of a case by its reference number.
pub async fn public_status(state: &AppState, ref_no: &str) -> AppResult<Option<PublicStatus>> {
    if !is_reference_number(ref_no) {
        return Ok(None);
    }
    let Some(case) = state.store.foi_case_by_ref(ref_no).await? else {
        return Ok(None);
    };
    let today = state.clock.now().date_naive();
    let cal = state.calendar().await?;
    let events = state.store.foi_events(case.id).await?;
    let clock = super::clock_of(&cal, &case.channel, &events, today)?;
    Ok(Some(PublicStatus {
        ref_no: case.ref_no.clone(),
        status: CaseStatus::parse(&case.status).map_or("", |s| s.label_zh()),
        submitted_on: case.submitted_on.clone(),
        received_on: case.received_on.clone(),
        due_on: case.due_on.clone().filter(|_| case.status != CaseStatus::Concluded.as_str()),
        concluded_on: case.concluded_on.clone(),
        outcome: case.outcome.as_deref().and_then(Outcome::from_code).map(|o| o.full_label_zh()),
        overdue: case.status != CaseStatus::Concluded.as_str() && opt_day(&case.due_on).is_some_and(|d| d < today),
        explanation: clock.map(|c| c.explanation).unwrap_or_default(),
    }))
}

#[derive(Template)]
#[template(path = "portal/foi_status.html")]
struct StatusT {
    page: Page,
    ref_no: String,
    asked: bool,
    just_created: bool,
    s: Option<PublicStatus>,
}

/// `GET /foi/status?ref=…`.
pub async fn status(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<StatusQuery>) -> AppResult<Response> {
    let ref_no = q.ref_no.trim().to_ascii_uppercase();
    let s = public_status(&state, &ref_no).await?;
    let page = portal_page(&state, &ctx, "依申请公开办理进度").await?;
    render(&StatusT {
        page,
        asked: !ref_no.is_empty(),
        just_created: q.new.is_some() && s.is_some(),
        ref_no,
        s,
    })
}

#[derive(Deserialize, Default)]
pub struct FeeQuery {
    method: Option<String>,
    n: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/foi_fees.html")]
struct FeesT {
    page: Page,
    method: String,
    n: String,
    error: Option<String>,
    result: Option<FeeEstimate>,
}

impl FeesT {
    fn band_label(&self, from: &u32, to: &Option<u32>) -> String {
        match to {
            Some(t) => format!("第{from}–{t}"),
            None => format!("第{from}及以上"),
        }
    }
}

/// `GET /foi/fees`: the public fee estimator.
pub async fn fees(State(state): State<AppState>, ctx: RequestCtx, Query(q): Query<FeeQuery>) -> AppResult<Response> {
    let method = q.method.clone().unwrap_or_else(|| "per_page".into());
    let n = q.n.clone().unwrap_or_default();
    let (mut error, mut result) = (None, None);
    if q.n.is_some() {
        match (FeeMethod::parse(&method), n.trim().parse::<u32>()) {
            (None, _) => error = Some("请选择计费方式".to_owned()),
            (Some(_), Ok(v)) if (1..=100_000).contains(&v) => {
                result = Some(estimate(FeeMethod::parse(&method).unwrap_or(FeeMethod::PerPage), v))
            }
            _ => error = Some("请输入1至100000之间的整数".to_owned()),
        }
    }
    let page = portal_page(&state, &ctx, "信息处理费计算").await?;
    render(&FeesT {
        page,
        method,
        n,
        error,
        result,
    })
}
