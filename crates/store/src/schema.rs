//! Table and column names, and the migrations that create them.
//!
//! Migrations are sea-query schema statements, rendered for whichever backend
//! runs them, so the schema is written once. Each migration has a version;
//! applied versions are recorded in `schema_migrations`, and a migration is
//! never edited after it has shipped: changes come as new versions.

use crate::db::{Conn, Result, Store, now_ts};
use sea_query::{ColumnDef, Expr, ForeignKey, ForeignKeyAction, Func, Iden, Index, Query, Table, TableCreateStatement};

#[derive(Iden, Clone, Copy)]
pub enum SchemaMigrations {
    Table,
    Version,
    Name,
    AppliedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Units {
    Table,
    Id,
    ParentId,
    Path,
    Name,
    Code,
    Kind,
    Phone,
    SortOrder,
    Active,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Sites {
    Table,
    Id,
    Code,
    Name,
    OwnerUnitId,
    Settings,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    MustChangePassword,
    Disabled,
    CreatedAt,
    PasswordChangedAt,
    LastLoginAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Grants {
    Table,
    Id,
    UserId,
    Role,
    UnitId,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Sessions {
    Table,
    TokenHash,
    UserId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
}

#[derive(Iden, Clone, Copy)]
pub enum LoginAttempts {
    Table,
    Id,
    Username,
    Success,
    At,
}

#[derive(Iden, Clone, Copy)]
pub enum ApiTokens {
    Table,
    Id,
    UserId,
    Label,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum AuditLog {
    Table,
    Seq,
    At,
    Actor,
    UnitId,
    Action,
    ObjectType,
    ObjectId,
    Detail,
    PrevHash,
    Hash,
}

#[derive(Iden, Clone, Copy)]
pub enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[derive(Iden, Clone, Copy)]
pub enum CalendarYears {
    Table,
    Year,
    Arrangement,
    ImportedAt,
    ImportedBy,
}

#[derive(Iden, Clone, Copy)]
pub enum Columns {
    Table,
    Id,
    SiteId,
    ParentId,
    Slug,
    Name,
    Kind,
    SortOrder,
    Hidden,
    UpdateIntervalDays,
    PageBody,
    LinkUrl,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Documents {
    Table,
    Id,
    SiteId,
    UnitId,
    ColumnId,
    Kind,
    InterpretationKind,
    Title,
    IndexNo,
    IndexYear,
    IndexSerial,
    Issuer,
    DocNo,
    DocNoYear,
    WrittenOn,
    PublishedOn,
    Topic,
    Genre,
    Validity,
    EffectiveOn,
    ExpiresOn,
    ValidityChangedOn,
    ValidityReason,
    ReplacedBy,
    Body,
    Transcript,
    State,
    ReviewStage,
    ScheduledAt,
    UnpublishReason,
    UnpublishNote,
    NeedsReview,
    AuthorId,
    Version,
    CreatedAt,
    UpdatedAt,
    /// The key a bulk import gave the document (unique per site), so that
    /// importing the same file again updates instead of duplicating.
    ExternalId,
}

#[derive(Iden, Clone, Copy)]
pub enum DocumentVersions {
    Table,
    Id,
    DocumentId,
    Version,
    Title,
    Body,
    Meta,
    Actor,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum DocumentLinks {
    Table,
    InterpretationId,
    DocumentId,
}

#[derive(Iden, Clone, Copy)]
pub enum DocumentEvents {
    Table,
    Id,
    DocumentId,
    Action,
    Stage,
    Actor,
    ActorId,
    Comment,
    At,
}

#[derive(Iden, Clone, Copy)]
pub enum Attachments {
    Table,
    Id,
    DocumentId,
    Filename,
    ContentHash,
    FileKind,
    Size,
    Findings,
    Acknowledged,
    SortOrder,
    CreatedAt,
    /// Plain text extracted from the file (docx, xlsx, PDF, text), for search
    /// and the privacy scan; NULL where the kind carries no text.
    Text,
}

/// Portal search terms that found nothing, counted per site.
#[derive(Iden, Clone, Copy)]
pub enum SearchMisses {
    Table,
    Id,
    SiteId,
    Query,
    Count,
    FirstAt,
    LastAt,
}

#[derive(Iden, Clone, Copy)]
pub enum PrivacyDecisions {
    Table,
    Id,
    DocumentId,
    Kind,
    TextHash,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum QaEntries {
    Table,
    Id,
    SiteId,
    ExternalId,
    Question,
    Answer,
    AnswerText,
    HotlineScript,
    UnitId,
    UnitName,
    Officer,
    State,
    NeedsReview,
    ReviewReason,
    ValidUntil,
    Source,
    Hits,
    Helpful,
    Unhelpful,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum QaSimilar {
    Table,
    Id,
    EntryId,
    Question,
    SortOrder,
}

#[derive(Iden, Clone, Copy)]
pub enum QaLinks {
    Table,
    Id,
    EntryId,
    DocumentId,
}

#[derive(Iden, Clone, Copy)]
pub enum QaSynonyms {
    Table,
    SiteId,
    Body,
    UpdatedBy,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Consultations {
    Table,
    Id,
    SiteId,
    Channel,
    Question,
    QuestionNorm,
    Outcome,
    MatchedEntryId,
    Confidence,
    State,
    UnitId,
    DueOn,
    RemindedAt,
    EscalatedAt,
    ContactName,
    ContactPhone,
    ContactEmail,
    ReplyVia,
    PublishConsent,
    Reply,
    RepliedBy,
    RepliedAt,
    RepliedOn,
    Published,
    ExternalRef,
    AccessKey,
    Agent,
    EntryCreatedId,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Outbox {
    Table,
    Id,
    Channel,
    Recipient,
    Subject,
    Body,
    RefKind,
    RefId,
    CreatedAt,
    SentAt,
}

#[derive(Iden, Clone, Copy)]
pub enum FoiCases {
    Table,
    Id,
    SiteId,
    UnitId,
    RefNo,
    Channel,
    ApplicantType,
    ApplicantName,
    OrgCode,
    ContactPerson,
    IdType,
    IdNumber,
    IdFileHash,
    IdFileName,
    Phone,
    Email,
    Address,
    Postcode,
    Description,
    DocNumber,
    FormWanted,
    Delivery,
    SubmittedOn,
    FeeMethod,
    FeeQuantity,
    FeeYuan,
    ParentId,
    RemindedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

/// What a case's clock implies, one narrow row per case, so that
/// recomputing every open case after a calendar change reads and rewrites
/// little.
#[derive(Iden, Clone, Copy)]
pub enum FoiClocks {
    Table,
    CaseId,
    SiteId,
    Channel,
    ReceivedOn,
    ClockEvents,
    Status,
    DueOn,
    Overdue,
    Provisional,
    Outcome,
    ConcludedOn,
    AutoClosed,
}

#[derive(Iden, Clone, Copy)]
pub enum FoiEvents {
    Table,
    Id,
    CaseId,
    Kind,
    OccurredOn,
    Days,
    Note,
    Actor,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum FoiLetters {
    Table,
    Id,
    CaseId,
    Kind,
    Title,
    Number,
    Body,
    Days,
    IssuedOn,
    IssuedBy,
    DeliveredOn,
    DeliveryMethod,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum FoiReviews {
    Table,
    Id,
    CaseId,
    Kind,
    Body,
    FiledOn,
    Result,
    DecidedOn,
    Note,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum TaskPlans {
    Table,
    Id,
    SiteId,
    Year,
    Title,
    DocNumber,
    NoticeTitle,
    SourceName,
    SourceHash,
    Warnings,
    Weights,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum TaskRows {
    Table,
    Id,
    PlanId,
    Seq,
    PartOrdinal,
    PartTitle,
    ItemOrdinal,
    ItemTitle,
    Line,
    Text,
    Measures,
    LeadNames,
    ResponsibleNames,
    LeadInherited,
    ResponsibleInherited,
    DueOn,
    Withdrawn,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum TaskRowUnits {
    Table,
    Id,
    RowId,
    UnitId,
    Role,
    Via,
}

#[derive(Iden, Clone, Copy)]
pub enum TaskEntries {
    Table,
    Id,
    PlanId,
    RowId,
    UnitId,
    MeasureNo,
    Title,
    Owner,
    DueOn,
    TargetKind,
    TargetCount,
    Achieved,
    Progress,
    Status,
    HasEvidence,
    LastReportOn,
    SubmittedOn,
    ClosedOn,
    RemindedAt,
    EscalatedAt,
    CreatedOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum TaskEvents {
    Table,
    Id,
    PlanId,
    RowId,
    EntryId,
    UnitId,
    Kind,
    Progress,
    Achieved,
    Note,
    DocumentId,
    FileHash,
    FileName,
    OccurredOn,
    Actor,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum TaskNotices {
    Table,
    Id,
    PlanId,
    AsOf,
    Title,
    Body,
    DocumentId,
    CreatedBy,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum MailboxMessages {
    Table,
    Id,
    SiteId,
    QueryCode,
    Channel,
    Category,
    AddresseeUnitId,
    Title,
    Content,
    ContactName,
    ContactPhone,
    ContactEmail,
    WantsPrivate,
    Status,
    Outcome,
    OutcomeNote,
    UnitId,
    SuggestedUnitId,
    SuggestedScore,
    ReceivedOn,
    DueOn,
    Extended,
    ExtensionDays,
    ReplyText,
    ReplyUnitId,
    RepliedOn,
    NotifiedOn,
    Rating,
    RatingNote,
    Reopened,
    RemindedAt,
    EscalatedAt,
    Published,
    ClientHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum MailboxEvents {
    Table,
    Id,
    MessageId,
    Kind,
    Note,
    UnitId,
    Actor,
    OccurredOn,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum PhoneCalls {
    Table,
    Id,
    SiteId,
    UnitId,
    CalledAt,
    Question,
    AnsweredOnSpot,
    Answer,
    DueOn,
    ClosedOn,
    RemindedAt,
    EscalatedAt,
    CreatedBy,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum PhoneChecks {
    Table,
    Id,
    SiteId,
    UnitId,
    Phone,
    CheckedOn,
    Answered,
    Note,
    CheckedBy,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum Commitments {
    Table,
    Id,
    SiteId,
    UnitId,
    Category,
    Event,
    Promise,
    Owner,
    PromisedOn,
    DueOn,
    Status,
    Result,
    FulfilledOn,
    Published,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub enum CommitmentUpdates {
    Table,
    Id,
    CommitmentId,
    Note,
    OccurredOn,
    Actor,
    CreatedAt,
}

fn id(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn text(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).text().not_null().to_owned()
}

fn text_null(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).text().null().to_owned()
}

fn bigint(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

fn bigint_null(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().to_owned()
}

fn flag(col: impl Iden + 'static, default: bool) -> ColumnDef {
    ColumnDef::new(col).boolean().not_null().default(default).to_owned()
}

fn fk(
    from: (impl Iden + 'static, impl Iden + 'static),
    to: (impl Iden + 'static, impl Iden + 'static),
    on_delete: ForeignKeyAction,
) -> sea_query::ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

enum Step {
    Table(TableCreateStatement),
    Alter(sea_query::TableAlterStatement),
    Index(sea_query::IndexCreateStatement),
    Insert(sea_query::InsertStatement),
    /// A PostgreSQL storage parameter (e.g. a table's fillfactor): tuning
    /// with no SQLite counterpart, not a second version of a statement.
    PostgresStorage(&'static str),
}

fn migration_1() -> Vec<Step> {
    use ForeignKeyAction::*;
    vec![
        Step::Table(
            Table::create()
                .table(Units::Table)
                .col(id(Units::Id))
                .col(bigint_null(Units::ParentId))
                .col(text(Units::Path))
                .col(text(Units::Name))
                .col(ColumnDef::new(Units::Code).text().not_null().unique_key())
                .col(text(Units::Kind))
                .col(text_null(Units::Phone))
                .col(ColumnDef::new(Units::SortOrder).big_integer().not_null().default(0))
                .col(flag(Units::Active, true))
                .col(text(Units::CreatedAt))
                .foreign_key(&mut fk((Units::Table, Units::ParentId), (Units::Table, Units::Id), Restrict))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("units_parent_name")
                .table(Units::Table)
                .col(Units::ParentId)
                .col(Units::Name)
                .unique()
                .to_owned(),
        ),
        Step::Index(Index::create().name("units_path").table(Units::Table).col(Units::Path).to_owned()),
        Step::Table(
            Table::create()
                .table(Sites::Table)
                .col(id(Sites::Id))
                .col(ColumnDef::new(Sites::Code).text().not_null().unique_key())
                .col(text(Sites::Name))
                .col(bigint(Sites::OwnerUnitId))
                .col(text(Sites::Settings))
                .col(text(Sites::CreatedAt))
                .foreign_key(&mut fk((Sites::Table, Sites::OwnerUnitId), (Units::Table, Units::Id), Restrict))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Users::Table)
                .col(id(Users::Id))
                .col(ColumnDef::new(Users::Username).text().not_null().unique_key())
                .col(text(Users::DisplayName))
                .col(text(Users::PasswordHash))
                .col(flag(Users::MustChangePassword, true))
                .col(flag(Users::Disabled, false))
                .col(text(Users::CreatedAt))
                .col(text(Users::PasswordChangedAt))
                .col(text_null(Users::LastLoginAt))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Grants::Table)
                .col(id(Grants::Id))
                .col(bigint(Grants::UserId))
                .col(text(Grants::Role))
                .col(bigint(Grants::UnitId))
                .col(text(Grants::CreatedAt))
                .foreign_key(&mut fk((Grants::Table, Grants::UserId), (Users::Table, Users::Id), Cascade))
                .foreign_key(&mut fk((Grants::Table, Grants::UnitId), (Units::Table, Units::Id), Restrict))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("grants_unique")
                .table(Grants::Table)
                .col(Grants::UserId)
                .col(Grants::Role)
                .col(Grants::UnitId)
                .unique()
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Sessions::Table)
                .col(ColumnDef::new(Sessions::TokenHash).text().not_null().primary_key())
                .col(bigint(Sessions::UserId))
                .col(text(Sessions::CsrfToken))
                .col(text(Sessions::CreatedAt))
                .col(text(Sessions::LastSeenAt))
                .foreign_key(&mut fk((Sessions::Table, Sessions::UserId), (Users::Table, Users::Id), Cascade))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(LoginAttempts::Table)
                .col(id(LoginAttempts::Id))
                .col(text(LoginAttempts::Username))
                .col(flag(LoginAttempts::Success, false))
                .col(text(LoginAttempts::At))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("login_attempts_user_at")
                .table(LoginAttempts::Table)
                .col(LoginAttempts::Username)
                .col(LoginAttempts::At)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(ApiTokens::Table)
                .col(id(ApiTokens::Id))
                .col(bigint(ApiTokens::UserId))
                .col(text(ApiTokens::Label))
                .col(ColumnDef::new(ApiTokens::TokenHash).text().not_null().unique_key())
                .col(text(ApiTokens::CreatedAt))
                .col(text_null(ApiTokens::LastUsedAt))
                .col(text_null(ApiTokens::RevokedAt))
                .foreign_key(&mut fk((ApiTokens::Table, ApiTokens::UserId), (Users::Table, Users::Id), Cascade))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(AuditLog::Table)
                .col(ColumnDef::new(AuditLog::Seq).big_integer().not_null().primary_key())
                .col(text(AuditLog::At))
                .col(text(AuditLog::Actor))
                .col(bigint_null(AuditLog::UnitId))
                .col(text(AuditLog::Action))
                .col(text(AuditLog::ObjectType))
                .col(text(AuditLog::ObjectId))
                .col(text(AuditLog::Detail))
                .col(text(AuditLog::PrevHash))
                .col(text(AuditLog::Hash))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("audit_log_at")
                .table(AuditLog::Table)
                .col(AuditLog::At)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("audit_log_object")
                .table(AuditLog::Table)
                .col(AuditLog::ObjectType)
                .col(AuditLog::ObjectId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(AuditHead::Table)
                .col(ColumnDef::new(AuditHead::Id).big_integer().not_null().primary_key())
                .col(bigint(AuditHead::Seq))
                .col(text(AuditHead::Hash))
                .to_owned(),
        ),
        Step::Insert(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                .values_panic([1i64.into(), 0i64.into(), gongkai_domain::audit::GENESIS.into()])
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(CalendarYears::Table)
                .col(ColumnDef::new(CalendarYears::Year).big_integer().not_null().primary_key())
                .col(text(CalendarYears::Arrangement))
                .col(text(CalendarYears::ImportedAt))
                .col(text(CalendarYears::ImportedBy))
                .to_owned(),
        ),
    ]
}

fn date_null(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).text().null().to_owned()
}

fn migration_2() -> Vec<Step> {
    use ForeignKeyAction::*;
    vec![
        Step::Table(
            Table::create()
                .table(Columns::Table)
                .col(id(Columns::Id))
                .col(bigint(Columns::SiteId))
                .col(bigint_null(Columns::ParentId))
                .col(text(Columns::Slug))
                .col(text(Columns::Name))
                .col(text(Columns::Kind))
                .col(ColumnDef::new(Columns::SortOrder).big_integer().not_null().default(0))
                .col(flag(Columns::Hidden, false))
                .col(bigint_null(Columns::UpdateIntervalDays))
                .col(text_null(Columns::PageBody))
                .col(text_null(Columns::LinkUrl))
                .col(text(Columns::CreatedAt))
                .foreign_key(&mut fk((Columns::Table, Columns::SiteId), (Sites::Table, Sites::Id), Cascade))
                .foreign_key(&mut fk(
                    (Columns::Table, Columns::ParentId),
                    (Columns::Table, Columns::Id),
                    Restrict,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("columns_site_slug")
                .table(Columns::Table)
                .col(Columns::SiteId)
                .col(Columns::Slug)
                .unique()
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Documents::Table)
                .col(id(Documents::Id))
                .col(bigint(Documents::SiteId))
                .col(bigint(Documents::UnitId))
                .col(bigint(Documents::ColumnId))
                .col(text(Documents::Kind))
                .col(text_null(Documents::InterpretationKind))
                .col(text(Documents::Title))
                .col(ColumnDef::new(Documents::IndexNo).text().not_null().unique_key())
                .col(bigint(Documents::IndexYear))
                .col(bigint(Documents::IndexSerial))
                .col(text(Documents::Issuer))
                .col(text_null(Documents::DocNo))
                .col(bigint_null(Documents::DocNoYear))
                .col(date_null(Documents::WrittenOn))
                .col(date_null(Documents::PublishedOn))
                .col(text(Documents::Topic))
                .col(text(Documents::Genre))
                .col(text(Documents::Validity))
                .col(date_null(Documents::EffectiveOn))
                .col(date_null(Documents::ExpiresOn))
                .col(date_null(Documents::ValidityChangedOn))
                .col(text_null(Documents::ValidityReason))
                .col(bigint_null(Documents::ReplacedBy))
                .col(text(Documents::Body))
                .col(text_null(Documents::Transcript))
                .col(text(Documents::State))
                .col(bigint_null(Documents::ReviewStage))
                .col(text_null(Documents::ScheduledAt))
                .col(text_null(Documents::UnpublishReason))
                .col(text_null(Documents::UnpublishNote))
                .col(flag(Documents::NeedsReview, false))
                .col(bigint(Documents::AuthorId))
                .col(bigint(Documents::Version))
                .col(text(Documents::CreatedAt))
                .col(text(Documents::UpdatedAt))
                .foreign_key(&mut fk((Documents::Table, Documents::SiteId), (Sites::Table, Sites::Id), Cascade))
                .foreign_key(&mut fk((Documents::Table, Documents::UnitId), (Units::Table, Units::Id), Restrict))
                .foreign_key(&mut fk(
                    (Documents::Table, Documents::ColumnId),
                    (Columns::Table, Columns::Id),
                    Restrict,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("documents_index_serial")
                .table(Documents::Table)
                .col(Documents::UnitId)
                .col(Documents::IndexYear)
                .col(Documents::IndexSerial)
                .unique()
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("documents_column_state")
                .table(Documents::Table)
                .col(Documents::ColumnId)
                .col(Documents::State)
                .col(Documents::PublishedOn)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("documents_doc_no")
                .table(Documents::Table)
                .col(Documents::DocNo)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(DocumentVersions::Table)
                .col(id(DocumentVersions::Id))
                .col(bigint(DocumentVersions::DocumentId))
                .col(bigint(DocumentVersions::Version))
                .col(text(DocumentVersions::Title))
                .col(text(DocumentVersions::Body))
                .col(text(DocumentVersions::Meta))
                .col(text(DocumentVersions::Actor))
                .col(text(DocumentVersions::CreatedAt))
                .foreign_key(&mut fk(
                    (DocumentVersions::Table, DocumentVersions::DocumentId),
                    (Documents::Table, Documents::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("document_versions_doc")
                .table(DocumentVersions::Table)
                .col(DocumentVersions::DocumentId)
                .col(DocumentVersions::Version)
                .unique()
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(DocumentLinks::Table)
                .col(bigint(DocumentLinks::InterpretationId))
                .col(bigint(DocumentLinks::DocumentId))
                .primary_key(Index::create().col(DocumentLinks::InterpretationId).col(DocumentLinks::DocumentId))
                .foreign_key(&mut fk(
                    (DocumentLinks::Table, DocumentLinks::InterpretationId),
                    (Documents::Table, Documents::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (DocumentLinks::Table, DocumentLinks::DocumentId),
                    (Documents::Table, Documents::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("document_links_doc")
                .table(DocumentLinks::Table)
                .col(DocumentLinks::DocumentId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(DocumentEvents::Table)
                .col(id(DocumentEvents::Id))
                .col(bigint(DocumentEvents::DocumentId))
                .col(text(DocumentEvents::Action))
                .col(bigint_null(DocumentEvents::Stage))
                .col(text(DocumentEvents::Actor))
                .col(bigint_null(DocumentEvents::ActorId))
                .col(text_null(DocumentEvents::Comment))
                .col(text(DocumentEvents::At))
                .foreign_key(&mut fk(
                    (DocumentEvents::Table, DocumentEvents::DocumentId),
                    (Documents::Table, Documents::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("document_events_doc")
                .table(DocumentEvents::Table)
                .col(DocumentEvents::DocumentId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Attachments::Table)
                .col(id(Attachments::Id))
                .col(bigint(Attachments::DocumentId))
                .col(text(Attachments::Filename))
                .col(text(Attachments::ContentHash))
                .col(text(Attachments::FileKind))
                .col(bigint(Attachments::Size))
                .col(text(Attachments::Findings))
                .col(flag(Attachments::Acknowledged, false))
                .col(ColumnDef::new(Attachments::SortOrder).big_integer().not_null().default(0))
                .col(text(Attachments::CreatedAt))
                .foreign_key(&mut fk(
                    (Attachments::Table, Attachments::DocumentId),
                    (Documents::Table, Documents::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("attachments_doc")
                .table(Attachments::Table)
                .col(Attachments::DocumentId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(PrivacyDecisions::Table)
                .col(id(PrivacyDecisions::Id))
                .col(bigint(PrivacyDecisions::DocumentId))
                .col(text(PrivacyDecisions::Kind))
                .col(text(PrivacyDecisions::TextHash))
                .col(text(PrivacyDecisions::Reason))
                .col(text(PrivacyDecisions::DecidedBy))
                .col(text(PrivacyDecisions::DecidedAt))
                .foreign_key(&mut fk(
                    (PrivacyDecisions::Table, PrivacyDecisions::DocumentId),
                    (Documents::Table, Documents::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("privacy_decisions_unique")
                .table(PrivacyDecisions::Table)
                .col(PrivacyDecisions::DocumentId)
                .col(PrivacyDecisions::TextHash)
                .unique()
                .to_owned(),
        ),
    ]
}

fn migration_3() -> Vec<Step> {
    use ForeignKeyAction::*;
    vec![
        Step::Alter(
            Table::alter()
                .table(Documents::Table)
                .add_column(text_null(Documents::ExternalId))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("documents_external_id")
                .table(Documents::Table)
                .col(Documents::SiteId)
                .col(Documents::ExternalId)
                .unique()
                .to_owned(),
        ),
        // The search indexer follows changes by this column.
        Step::Index(
            Index::create()
                .name("documents_updated_at")
                .table(Documents::Table)
                .col(Documents::UpdatedAt)
                .to_owned(),
        ),
        Step::Alter(
            Table::alter()
                .table(Attachments::Table)
                .add_column(text_null(Attachments::Text))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(SearchMisses::Table)
                .col(id(SearchMisses::Id))
                .col(bigint(SearchMisses::SiteId))
                .col(text(SearchMisses::Query))
                .col(bigint(SearchMisses::Count))
                .col(text(SearchMisses::FirstAt))
                .col(text(SearchMisses::LastAt))
                .foreign_key(&mut fk(
                    (SearchMisses::Table, SearchMisses::SiteId),
                    (Sites::Table, Sites::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("search_misses_unique")
                .table(SearchMisses::Table)
                .col(SearchMisses::SiteId)
                .col(SearchMisses::Query)
                .unique()
                .to_owned(),
        ),
    ]
}

fn double_null(col: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(col).double().null().to_owned()
}

fn migration_4() -> Vec<Step> {
    use ForeignKeyAction::*;
    vec![
        Step::Table(
            Table::create()
                .table(QaEntries::Table)
                .col(id(QaEntries::Id))
                .col(bigint(QaEntries::SiteId))
                .col(text_null(QaEntries::ExternalId))
                .col(text(QaEntries::Question))
                .col(text(QaEntries::Answer))
                .col(text(QaEntries::AnswerText))
                .col(text_null(QaEntries::HotlineScript))
                .col(bigint_null(QaEntries::UnitId))
                .col(text(QaEntries::UnitName))
                .col(text_null(QaEntries::Officer))
                .col(text(QaEntries::State))
                .col(flag(QaEntries::NeedsReview, false))
                .col(text_null(QaEntries::ReviewReason))
                .col(date_null(QaEntries::ValidUntil))
                .col(text(QaEntries::Source))
                .col(ColumnDef::new(QaEntries::Hits).big_integer().not_null().default(0))
                .col(ColumnDef::new(QaEntries::Helpful).big_integer().not_null().default(0))
                .col(ColumnDef::new(QaEntries::Unhelpful).big_integer().not_null().default(0))
                .col(text(QaEntries::CreatedBy))
                .col(text(QaEntries::CreatedAt))
                .col(text(QaEntries::UpdatedAt))
                .foreign_key(&mut fk((QaEntries::Table, QaEntries::SiteId), (Sites::Table, Sites::Id), Cascade))
                .foreign_key(&mut fk((QaEntries::Table, QaEntries::UnitId), (Units::Table, Units::Id), SetNull))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("qa_entries_external_id")
                .table(QaEntries::Table)
                .col(QaEntries::SiteId)
                .col(QaEntries::ExternalId)
                .unique()
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("qa_entries_updated_at")
                .table(QaEntries::Table)
                .col(QaEntries::SiteId)
                .col(QaEntries::UpdatedAt)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(QaSimilar::Table)
                .col(id(QaSimilar::Id))
                .col(bigint(QaSimilar::EntryId))
                .col(text(QaSimilar::Question))
                .col(bigint(QaSimilar::SortOrder))
                .foreign_key(&mut fk(
                    (QaSimilar::Table, QaSimilar::EntryId),
                    (QaEntries::Table, QaEntries::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("qa_similar_entry")
                .table(QaSimilar::Table)
                .col(QaSimilar::EntryId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(QaLinks::Table)
                .col(id(QaLinks::Id))
                .col(bigint(QaLinks::EntryId))
                .col(bigint(QaLinks::DocumentId))
                .foreign_key(&mut fk(
                    (QaLinks::Table, QaLinks::EntryId),
                    (QaEntries::Table, QaEntries::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (QaLinks::Table, QaLinks::DocumentId),
                    (Documents::Table, Documents::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("qa_links_unique")
                .table(QaLinks::Table)
                .col(QaLinks::EntryId)
                .col(QaLinks::DocumentId)
                .unique()
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("qa_links_document")
                .table(QaLinks::Table)
                .col(QaLinks::DocumentId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(QaSynonyms::Table)
                .col(ColumnDef::new(QaSynonyms::SiteId).big_integer().not_null().primary_key())
                .col(text(QaSynonyms::Body))
                .col(text(QaSynonyms::UpdatedBy))
                .col(text(QaSynonyms::UpdatedAt))
                .foreign_key(&mut fk((QaSynonyms::Table, QaSynonyms::SiteId), (Sites::Table, Sites::Id), Cascade))
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Consultations::Table)
                .col(id(Consultations::Id))
                .col(bigint(Consultations::SiteId))
                .col(text(Consultations::Channel))
                .col(text(Consultations::Question))
                .col(text(Consultations::QuestionNorm))
                .col(text(Consultations::Outcome))
                .col(bigint_null(Consultations::MatchedEntryId))
                .col(double_null(Consultations::Confidence))
                .col(text(Consultations::State))
                .col(bigint_null(Consultations::UnitId))
                .col(date_null(Consultations::DueOn))
                .col(text_null(Consultations::RemindedAt))
                .col(text_null(Consultations::EscalatedAt))
                .col(text_null(Consultations::ContactName))
                .col(text_null(Consultations::ContactPhone))
                .col(text_null(Consultations::ContactEmail))
                .col(text(Consultations::ReplyVia))
                .col(flag(Consultations::PublishConsent, false))
                .col(text_null(Consultations::Reply))
                .col(text_null(Consultations::RepliedBy))
                .col(text_null(Consultations::RepliedAt))
                .col(date_null(Consultations::RepliedOn))
                .col(flag(Consultations::Published, false))
                .col(text_null(Consultations::ExternalRef))
                .col(text(Consultations::AccessKey))
                .col(text_null(Consultations::Agent))
                .col(bigint_null(Consultations::EntryCreatedId))
                .col(text(Consultations::CreatedAt))
                .col(text(Consultations::UpdatedAt))
                .foreign_key(&mut fk(
                    (Consultations::Table, Consultations::SiteId),
                    (Sites::Table, Sites::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Consultations::Table, Consultations::UnitId),
                    (Units::Table, Units::Id),
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    (Consultations::Table, Consultations::MatchedEntryId),
                    (QaEntries::Table, QaEntries::Id),
                    SetNull,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("consultations_open")
                .table(Consultations::Table)
                .col(Consultations::SiteId)
                .col(Consultations::State)
                .col(Consultations::DueOn)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("consultations_created")
                .table(Consultations::Table)
                .col(Consultations::SiteId)
                .col(Consultations::CreatedAt)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Outbox::Table)
                .col(id(Outbox::Id))
                .col(text(Outbox::Channel))
                .col(text(Outbox::Recipient))
                .col(text(Outbox::Subject))
                .col(text(Outbox::Body))
                .col(text(Outbox::RefKind))
                .col(bigint(Outbox::RefId))
                .col(text(Outbox::CreatedAt))
                .col(text_null(Outbox::SentAt))
                .to_owned(),
        ),
    ]
}

fn migration_5() -> Vec<Step> {
    use ForeignKeyAction::*;
    vec![
        Step::Table(
            Table::create()
                .table(FoiCases::Table)
                .col(id(FoiCases::Id))
                .col(bigint(FoiCases::SiteId))
                .col(bigint(FoiCases::UnitId))
                .col(text(FoiCases::RefNo))
                .col(text(FoiCases::Channel))
                .col(text(FoiCases::ApplicantType))
                .col(text(FoiCases::ApplicantName))
                .col(text_null(FoiCases::OrgCode))
                .col(text_null(FoiCases::ContactPerson))
                .col(text(FoiCases::IdType))
                .col(text(FoiCases::IdNumber))
                .col(text_null(FoiCases::IdFileHash))
                .col(text_null(FoiCases::IdFileName))
                .col(text(FoiCases::Phone))
                .col(text_null(FoiCases::Email))
                .col(text_null(FoiCases::Address))
                .col(text_null(FoiCases::Postcode))
                .col(text(FoiCases::Description))
                .col(text_null(FoiCases::DocNumber))
                .col(text(FoiCases::FormWanted))
                .col(text(FoiCases::Delivery))
                .col(text(FoiCases::SubmittedOn))
                .col(text_null(FoiCases::FeeMethod))
                .col(bigint_null(FoiCases::FeeQuantity))
                .col(bigint_null(FoiCases::FeeYuan))
                .col(bigint_null(FoiCases::ParentId))
                .col(text_null(FoiCases::RemindedAt))
                .col(text(FoiCases::CreatedBy))
                .col(text(FoiCases::CreatedAt))
                .col(text(FoiCases::UpdatedAt))
                .foreign_key(&mut fk((FoiCases::Table, FoiCases::SiteId), (Sites::Table, Sites::Id), Cascade))
                .foreign_key(&mut fk((FoiCases::Table, FoiCases::UnitId), (Units::Table, Units::Id), Restrict))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("foi_cases_ref_no")
                .table(FoiCases::Table)
                .col(FoiCases::RefNo)
                .unique()
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(FoiClocks::Table)
                .col(ColumnDef::new(FoiClocks::CaseId).big_integer().not_null().primary_key())
                .col(bigint(FoiClocks::SiteId))
                .col(text(FoiClocks::Channel))
                .col(date_null(FoiClocks::ReceivedOn))
                .col(ColumnDef::new(FoiClocks::ClockEvents).text().not_null().default(""))
                .col(text(FoiClocks::Status))
                .col(date_null(FoiClocks::DueOn))
                .col(flag(FoiClocks::Overdue, false))
                .col(flag(FoiClocks::Provisional, false))
                .col(text_null(FoiClocks::Outcome))
                .col(date_null(FoiClocks::ConcludedOn))
                .col(flag(FoiClocks::AutoClosed, false))
                .foreign_key(&mut fk(
                    (FoiClocks::Table, FoiClocks::CaseId),
                    (FoiCases::Table, FoiCases::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        // A calendar change rewrites most open cases' clock rows at once:
        // half-empty pages let PostgreSQL update them in place (heap-only
        // tuples, no index entries), about five times faster.
        Step::PostgresStorage("ALTER TABLE foi_clocks SET (fillfactor = 50)"),
        // The due date is deliberately not indexed: a calendar change moves
        // most due dates at once, and an index would double that write.
        Step::Index(
            Index::create()
                .name("foi_clocks_status")
                .table(FoiClocks::Table)
                .col(FoiClocks::SiteId)
                .col(FoiClocks::Status)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("foi_clocks_received")
                .table(FoiClocks::Table)
                .col(FoiClocks::SiteId)
                .col(FoiClocks::ReceivedOn)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("foi_cases_applicant")
                .table(FoiCases::Table)
                .col(FoiCases::SiteId)
                .col(FoiCases::IdNumber)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(FoiEvents::Table)
                .col(id(FoiEvents::Id))
                .col(bigint(FoiEvents::CaseId))
                .col(text(FoiEvents::Kind))
                .col(text(FoiEvents::OccurredOn))
                .col(bigint_null(FoiEvents::Days))
                .col(text_null(FoiEvents::Note))
                .col(text(FoiEvents::Actor))
                .col(text(FoiEvents::CreatedAt))
                .foreign_key(&mut fk(
                    (FoiEvents::Table, FoiEvents::CaseId),
                    (FoiCases::Table, FoiCases::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("foi_events_case")
                .table(FoiEvents::Table)
                .col(FoiEvents::CaseId)
                .col(FoiEvents::Id)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(FoiLetters::Table)
                .col(id(FoiLetters::Id))
                .col(bigint(FoiLetters::CaseId))
                .col(text(FoiLetters::Kind))
                .col(text(FoiLetters::Title))
                .col(text(FoiLetters::Number))
                .col(text(FoiLetters::Body))
                .col(bigint_null(FoiLetters::Days))
                .col(date_null(FoiLetters::IssuedOn))
                .col(text_null(FoiLetters::IssuedBy))
                .col(date_null(FoiLetters::DeliveredOn))
                .col(text_null(FoiLetters::DeliveryMethod))
                .col(text(FoiLetters::CreatedBy))
                .col(text(FoiLetters::CreatedAt))
                .col(text(FoiLetters::UpdatedAt))
                .foreign_key(&mut fk(
                    (FoiLetters::Table, FoiLetters::CaseId),
                    (FoiCases::Table, FoiCases::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("foi_letters_case")
                .table(FoiLetters::Table)
                .col(FoiLetters::CaseId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(FoiReviews::Table)
                .col(id(FoiReviews::Id))
                .col(bigint(FoiReviews::CaseId))
                .col(text(FoiReviews::Kind))
                .col(text(FoiReviews::Body))
                .col(text(FoiReviews::FiledOn))
                .col(text(FoiReviews::Result))
                .col(date_null(FoiReviews::DecidedOn))
                .col(text_null(FoiReviews::Note))
                .col(text(FoiReviews::CreatedBy))
                .col(text(FoiReviews::CreatedAt))
                .col(text(FoiReviews::UpdatedAt))
                .foreign_key(&mut fk(
                    (FoiReviews::Table, FoiReviews::CaseId),
                    (FoiCases::Table, FoiCases::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("foi_reviews_case")
                .table(FoiReviews::Table)
                .col(FoiReviews::CaseId)
                .to_owned(),
        ),
    ]
}

fn int(col: impl Iden + 'static, default: i64) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().default(default).to_owned()
}

fn migration_6() -> Vec<Step> {
    use ForeignKeyAction::Cascade;
    vec![
        Step::Table(
            Table::create()
                .table(TaskPlans::Table)
                .col(id(TaskPlans::Id))
                .col(bigint(TaskPlans::SiteId))
                .col(bigint(TaskPlans::Year))
                .col(text(TaskPlans::Title))
                .col(text_null(TaskPlans::DocNumber))
                .col(text_null(TaskPlans::NoticeTitle))
                .col(text(TaskPlans::SourceName))
                .col(text(TaskPlans::SourceHash))
                .col(ColumnDef::new(TaskPlans::Warnings).text().not_null().default("[]"))
                .col(text_null(TaskPlans::Weights))
                .col(text(TaskPlans::CreatedBy))
                .col(text(TaskPlans::CreatedAt))
                .col(text(TaskPlans::UpdatedAt))
                .foreign_key(&mut fk((TaskPlans::Table, TaskPlans::SiteId), (Sites::Table, Sites::Id), Cascade))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_plans_site_year_title")
                .table(TaskPlans::Table)
                .col(TaskPlans::SiteId)
                .col(TaskPlans::Year)
                .col(TaskPlans::Title)
                .unique()
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(TaskRows::Table)
                .col(id(TaskRows::Id))
                .col(bigint(TaskRows::PlanId))
                .col(bigint(TaskRows::Seq))
                .col(bigint(TaskRows::PartOrdinal))
                .col(text(TaskRows::PartTitle))
                .col(bigint(TaskRows::ItemOrdinal))
                .col(text(TaskRows::ItemTitle))
                .col(bigint(TaskRows::Line))
                .col(text(TaskRows::Text))
                .col(text(TaskRows::Measures))
                .col(text(TaskRows::LeadNames))
                .col(text(TaskRows::ResponsibleNames))
                .col(flag(TaskRows::LeadInherited, false))
                .col(flag(TaskRows::ResponsibleInherited, false))
                .col(date_null(TaskRows::DueOn))
                .col(flag(TaskRows::Withdrawn, false))
                .col(text(TaskRows::CreatedAt))
                .col(text(TaskRows::UpdatedAt))
                .foreign_key(&mut fk(
                    (TaskRows::Table, TaskRows::PlanId),
                    (TaskPlans::Table, TaskPlans::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_rows_plan")
                .table(TaskRows::Table)
                .col(TaskRows::PlanId)
                .col(TaskRows::Seq)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(TaskRowUnits::Table)
                .col(id(TaskRowUnits::Id))
                .col(bigint(TaskRowUnits::RowId))
                .col(bigint(TaskRowUnits::UnitId))
                .col(text(TaskRowUnits::Role))
                .col(text(TaskRowUnits::Via))
                .foreign_key(&mut fk(
                    (TaskRowUnits::Table, TaskRowUnits::RowId),
                    (TaskRows::Table, TaskRows::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (TaskRowUnits::Table, TaskRowUnits::UnitId),
                    (Units::Table, Units::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_row_units_row")
                .table(TaskRowUnits::Table)
                .col(TaskRowUnits::RowId)
                .col(TaskRowUnits::UnitId)
                .col(TaskRowUnits::Role)
                .unique()
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_row_units_unit")
                .table(TaskRowUnits::Table)
                .col(TaskRowUnits::UnitId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(TaskEntries::Table)
                .col(id(TaskEntries::Id))
                .col(bigint(TaskEntries::PlanId))
                .col(bigint(TaskEntries::RowId))
                .col(bigint(TaskEntries::UnitId))
                .col(bigint_null(TaskEntries::MeasureNo))
                .col(text(TaskEntries::Title))
                .col(text(TaskEntries::Owner))
                .col(date_null(TaskEntries::DueOn))
                .col(text(TaskEntries::TargetKind))
                .col(bigint_null(TaskEntries::TargetCount))
                .col(bigint_null(TaskEntries::Achieved))
                .col(int(TaskEntries::Progress, 0))
                .col(text(TaskEntries::Status))
                .col(flag(TaskEntries::HasEvidence, false))
                .col(date_null(TaskEntries::LastReportOn))
                .col(date_null(TaskEntries::SubmittedOn))
                .col(date_null(TaskEntries::ClosedOn))
                .col(text_null(TaskEntries::RemindedAt))
                .col(text_null(TaskEntries::EscalatedAt))
                .col(text(TaskEntries::CreatedOn))
                .col(text(TaskEntries::CreatedBy))
                .col(text(TaskEntries::CreatedAt))
                .col(text(TaskEntries::UpdatedAt))
                .foreign_key(&mut fk(
                    (TaskEntries::Table, TaskEntries::RowId),
                    (TaskRows::Table, TaskRows::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (TaskEntries::Table, TaskEntries::PlanId),
                    (TaskPlans::Table, TaskPlans::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (TaskEntries::Table, TaskEntries::UnitId),
                    (Units::Table, Units::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_entries_plan")
                .table(TaskEntries::Table)
                .col(TaskEntries::PlanId)
                .col(TaskEntries::UnitId)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_entries_row")
                .table(TaskEntries::Table)
                .col(TaskEntries::RowId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(TaskEvents::Table)
                .col(id(TaskEvents::Id))
                .col(bigint(TaskEvents::PlanId))
                .col(bigint(TaskEvents::RowId))
                .col(bigint_null(TaskEvents::EntryId))
                .col(bigint_null(TaskEvents::UnitId))
                .col(text(TaskEvents::Kind))
                .col(bigint_null(TaskEvents::Progress))
                .col(bigint_null(TaskEvents::Achieved))
                .col(text_null(TaskEvents::Note))
                .col(bigint_null(TaskEvents::DocumentId))
                .col(text_null(TaskEvents::FileHash))
                .col(text_null(TaskEvents::FileName))
                .col(text(TaskEvents::OccurredOn))
                .col(text(TaskEvents::Actor))
                .col(text(TaskEvents::CreatedAt))
                .foreign_key(&mut fk(
                    (TaskEvents::Table, TaskEvents::RowId),
                    (TaskRows::Table, TaskRows::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (TaskEvents::Table, TaskEvents::PlanId),
                    (TaskPlans::Table, TaskPlans::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_events_row")
                .table(TaskEvents::Table)
                .col(TaskEvents::RowId)
                .col(TaskEvents::Id)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_events_entry")
                .table(TaskEvents::Table)
                .col(TaskEvents::EntryId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(TaskNotices::Table)
                .col(id(TaskNotices::Id))
                .col(bigint(TaskNotices::PlanId))
                .col(text(TaskNotices::AsOf))
                .col(text(TaskNotices::Title))
                .col(text(TaskNotices::Body))
                .col(bigint_null(TaskNotices::DocumentId))
                .col(text(TaskNotices::CreatedBy))
                .col(text(TaskNotices::CreatedAt))
                .foreign_key(&mut fk(
                    (TaskNotices::Table, TaskNotices::PlanId),
                    (TaskPlans::Table, TaskPlans::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("task_notices_plan")
                .table(TaskNotices::Table)
                .col(TaskNotices::PlanId)
                .to_owned(),
        ),
    ]
}

fn migration_7() -> Vec<Step> {
    use ForeignKeyAction::Cascade;
    vec![
        Step::Table(
            Table::create()
                .table(MailboxMessages::Table)
                .col(id(MailboxMessages::Id))
                .col(bigint(MailboxMessages::SiteId))
                .col(text(MailboxMessages::QueryCode))
                .col(text(MailboxMessages::Channel))
                .col(text(MailboxMessages::Category))
                .col(bigint_null(MailboxMessages::AddresseeUnitId))
                .col(text(MailboxMessages::Title))
                .col(text(MailboxMessages::Content))
                .col(text(MailboxMessages::ContactName))
                .col(text(MailboxMessages::ContactPhone))
                .col(text_null(MailboxMessages::ContactEmail))
                .col(flag(MailboxMessages::WantsPrivate, true))
                .col(text(MailboxMessages::Status))
                .col(text_null(MailboxMessages::Outcome))
                .col(text_null(MailboxMessages::OutcomeNote))
                .col(bigint_null(MailboxMessages::UnitId))
                .col(bigint_null(MailboxMessages::SuggestedUnitId))
                .col(double_null(MailboxMessages::SuggestedScore))
                .col(text(MailboxMessages::ReceivedOn))
                .col(date_null(MailboxMessages::DueOn))
                .col(flag(MailboxMessages::Extended, false))
                .col(int(MailboxMessages::ExtensionDays, 0))
                .col(text_null(MailboxMessages::ReplyText))
                .col(bigint_null(MailboxMessages::ReplyUnitId))
                .col(date_null(MailboxMessages::RepliedOn))
                .col(date_null(MailboxMessages::NotifiedOn))
                .col(bigint_null(MailboxMessages::Rating))
                .col(text_null(MailboxMessages::RatingNote))
                .col(int(MailboxMessages::Reopened, 0))
                .col(text_null(MailboxMessages::RemindedAt))
                .col(text_null(MailboxMessages::EscalatedAt))
                .col(flag(MailboxMessages::Published, false))
                .col(text_null(MailboxMessages::ClientHash))
                .col(text(MailboxMessages::CreatedAt))
                .col(text(MailboxMessages::UpdatedAt))
                .foreign_key(&mut fk(
                    (MailboxMessages::Table, MailboxMessages::SiteId),
                    (Sites::Table, Sites::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("mailbox_messages_code")
                .table(MailboxMessages::Table)
                .col(MailboxMessages::QueryCode)
                .unique()
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("mailbox_messages_status")
                .table(MailboxMessages::Table)
                .col(MailboxMessages::SiteId)
                .col(MailboxMessages::Status)
                .col(MailboxMessages::ReceivedOn)
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("mailbox_messages_published")
                .table(MailboxMessages::Table)
                .col(MailboxMessages::SiteId)
                .col(MailboxMessages::Published)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(MailboxEvents::Table)
                .col(id(MailboxEvents::Id))
                .col(bigint(MailboxEvents::MessageId))
                .col(text(MailboxEvents::Kind))
                .col(text_null(MailboxEvents::Note))
                .col(bigint_null(MailboxEvents::UnitId))
                .col(text(MailboxEvents::Actor))
                .col(text(MailboxEvents::OccurredOn))
                .col(text(MailboxEvents::CreatedAt))
                .foreign_key(&mut fk(
                    (MailboxEvents::Table, MailboxEvents::MessageId),
                    (MailboxMessages::Table, MailboxMessages::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("mailbox_events_message")
                .table(MailboxEvents::Table)
                .col(MailboxEvents::MessageId)
                .col(MailboxEvents::Id)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(PhoneCalls::Table)
                .col(id(PhoneCalls::Id))
                .col(bigint(PhoneCalls::SiteId))
                .col(bigint(PhoneCalls::UnitId))
                .col(text(PhoneCalls::CalledAt))
                .col(text(PhoneCalls::Question))
                .col(flag(PhoneCalls::AnsweredOnSpot, false))
                .col(text_null(PhoneCalls::Answer))
                .col(date_null(PhoneCalls::DueOn))
                .col(date_null(PhoneCalls::ClosedOn))
                .col(text_null(PhoneCalls::RemindedAt))
                .col(text_null(PhoneCalls::EscalatedAt))
                .col(text(PhoneCalls::CreatedBy))
                .col(text(PhoneCalls::CreatedAt))
                .foreign_key(&mut fk((PhoneCalls::Table, PhoneCalls::SiteId), (Sites::Table, Sites::Id), Cascade))
                .foreign_key(&mut fk((PhoneCalls::Table, PhoneCalls::UnitId), (Units::Table, Units::Id), Cascade))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("phone_calls_unit")
                .table(PhoneCalls::Table)
                .col(PhoneCalls::SiteId)
                .col(PhoneCalls::UnitId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(PhoneChecks::Table)
                .col(id(PhoneChecks::Id))
                .col(bigint(PhoneChecks::SiteId))
                .col(bigint(PhoneChecks::UnitId))
                .col(text(PhoneChecks::Phone))
                .col(text(PhoneChecks::CheckedOn))
                .col(flag(PhoneChecks::Answered, false))
                .col(text_null(PhoneChecks::Note))
                .col(text(PhoneChecks::CheckedBy))
                .col(text(PhoneChecks::CreatedAt))
                .foreign_key(&mut fk(
                    (PhoneChecks::Table, PhoneChecks::SiteId),
                    (Sites::Table, Sites::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (PhoneChecks::Table, PhoneChecks::UnitId),
                    (Units::Table, Units::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("phone_checks_unit")
                .table(PhoneChecks::Table)
                .col(PhoneChecks::SiteId)
                .col(PhoneChecks::UnitId)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(Commitments::Table)
                .col(id(Commitments::Id))
                .col(bigint(Commitments::SiteId))
                .col(bigint(Commitments::UnitId))
                .col(text(Commitments::Category))
                .col(text(Commitments::Event))
                .col(text(Commitments::Promise))
                .col(text(Commitments::Owner))
                .col(text(Commitments::PromisedOn))
                .col(text(Commitments::DueOn))
                .col(text(Commitments::Status))
                .col(text_null(Commitments::Result))
                .col(date_null(Commitments::FulfilledOn))
                .col(flag(Commitments::Published, false))
                .col(text(Commitments::CreatedBy))
                .col(text(Commitments::CreatedAt))
                .col(text(Commitments::UpdatedAt))
                .foreign_key(&mut fk(
                    (Commitments::Table, Commitments::SiteId),
                    (Sites::Table, Sites::Id),
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    (Commitments::Table, Commitments::UnitId),
                    (Units::Table, Units::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("commitments_site")
                .table(Commitments::Table)
                .col(Commitments::SiteId)
                .col(Commitments::Status)
                .to_owned(),
        ),
        Step::Table(
            Table::create()
                .table(CommitmentUpdates::Table)
                .col(id(CommitmentUpdates::Id))
                .col(bigint(CommitmentUpdates::CommitmentId))
                .col(text(CommitmentUpdates::Note))
                .col(text(CommitmentUpdates::OccurredOn))
                .col(text(CommitmentUpdates::Actor))
                .col(text(CommitmentUpdates::CreatedAt))
                .foreign_key(&mut fk(
                    (CommitmentUpdates::Table, CommitmentUpdates::CommitmentId),
                    (Commitments::Table, Commitments::Id),
                    Cascade,
                ))
                .to_owned(),
        ),
        Step::Index(
            Index::create()
                .name("commitment_updates_commitment")
                .table(CommitmentUpdates::Table)
                .col(CommitmentUpdates::CommitmentId)
                .to_owned(),
        ),
    ]
}

/// A column page lists a column's published documents newest first: this
/// index holds them in that order (with the state to filter on), so a page
/// deep in a column of hundreds of thousands of documents is read from the
/// index instead of sorting the whole column.
fn migration_8() -> Vec<Step> {
    vec![Step::Index(
        Index::create()
            .name("documents_column_published")
            .table(Documents::Table)
            .col(Documents::ColumnId)
            .col(Documents::PublishedOn)
            .col(Documents::Id)
            .col(Documents::State)
            .to_owned(),
    )]
}

/// A migration: version, description, and the statements it runs.
type Migration = (i64, &'static str, fn() -> Vec<Step>);

/// All migrations, in order. Append only.
fn migrations() -> Vec<Migration> {
    vec![
        (
            1,
            "foundation: units, sites, users, grants, sessions, tokens, audit, calendar",
            migration_1,
        ),
        (
            2,
            "catalogue: columns, documents, versions, links, events, attachments, privacy decisions",
            migration_2,
        ),
        (
            3,
            "search: document external ids, attachment text, change index, search misses",
            migration_3,
        ),
        (
            4,
            "policy Q&A: entries, similar questions, policy links, synonyms, consultations, outbox",
            migration_4,
        ),
        (
            5,
            "disclosure on application: cases, their clocks and events, letters, reviews and litigation",
            migration_5,
        ),
        (
            6,
            "task responsibility lists: plans, rows and their units, itemised entries, progress events, notices",
            migration_6,
        ),
        (
            7,
            "public mailbox: messages and their events, phone calls and checks, public-opinion commitments",
            migration_7,
        ),
        (
            8,
            "catalogue: a column's published documents in date order from an index",
            migration_8,
        ),
    ]
}

/// The highest schema version this build knows.
pub fn latest_version() -> i64 {
    migrations().last().map_or(0, |m| m.0)
}

impl Store {
    /// Applies every migration not yet applied; safe to call from several app
    /// nodes at once. Returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut lock = self.conn().await?;
        self.migration_lock(&mut lock).await?;
        let result = self.migrate_locked().await;
        self.migration_unlock(&mut lock).await?;
        result
    }

    async fn migrate_locked(&self) -> Result<Vec<i64>> {
        let mut conn: Conn = self.conn().await?;
        conn.execute_schema(
            &Table::create()
                .table(SchemaMigrations::Table)
                .if_not_exists()
                .col(ColumnDef::new(SchemaMigrations::Version).big_integer().not_null().primary_key())
                .col(text(SchemaMigrations::Name))
                .col(text(SchemaMigrations::AppliedAt))
                .to_owned(),
        )
        .await?;
        drop(conn);
        let applied: Vec<i64> = self.applied_versions().await?;
        let mut now_applied = Vec::new();
        for (version, name, steps) in migrations() {
            if applied.contains(&version) {
                continue;
            }
            let mut tx = self.begin().await?;
            for step in steps() {
                match step {
                    Step::Table(t) => tx.execute_schema(&t).await?,
                    Step::Alter(a) => tx.execute_schema(&a).await?,
                    Step::Index(i) => tx.execute_schema(&i).await?,
                    Step::Insert(i) => {
                        tx.execute(&i).await?;
                    }
                    Step::PostgresStorage(sql) => tx.postgres_storage_setting(sql).await?,
                }
            }
            tx.execute(
                &Query::insert()
                    .into_table(SchemaMigrations::Table)
                    .columns([SchemaMigrations::Version, SchemaMigrations::Name, SchemaMigrations::AppliedAt])
                    .values_panic([version.into(), name.into(), now_ts().into()])
                    .to_owned(),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(version, name, "applied migration");
            now_applied.push(version);
        }
        Ok(now_applied)
    }

    pub async fn applied_versions(&self) -> Result<Vec<i64>> {
        #[derive(sqlx::FromRow)]
        struct V {
            version: i64,
        }
        let rows: Vec<V> = self
            .fetch_all(
                &Query::select()
                    .column(SchemaMigrations::Version)
                    .from(SchemaMigrations::Table)
                    .order_by(SchemaMigrations::Version, sea_query::Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|v| v.version).collect())
    }

    /// The highest applied schema version (0 on an empty database).
    pub async fn schema_version(&self) -> Result<i64> {
        let v: Option<i64> = self
            .fetch_scalar(
                &Query::select()
                    .expr(Func::max(Expr::col(SchemaMigrations::Version)))
                    .from(SchemaMigrations::Table)
                    .to_owned(),
            )
            .await?;
        Ok(v.unwrap_or(0))
    }
}
