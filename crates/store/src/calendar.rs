//! Holiday arrangements imported by administrators, layered over the
//! official calendar compiled into `gongkai_domain::calendar`.

use crate::db::{Result, Store, StoreError, Tx, now_ts};
use crate::schema::CalendarYears;
use gongkai_domain::calendar::{Calendar, YearArrangement};
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ImportedYear {
    pub year: i64,
    pub arrangement: String,
    pub imported_at: String,
    pub imported_by: String,
}

impl Store {
    pub async fn imported_years(&self) -> Result<Vec<ImportedYear>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    CalendarYears::Year,
                    CalendarYears::Arrangement,
                    CalendarYears::ImportedAt,
                    CalendarYears::ImportedBy,
                ])
                .from(CalendarYears::Table)
                .order_by(CalendarYears::Year, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The official calendar with every imported year applied on top.
    pub async fn calendar(&self) -> Result<Calendar> {
        let mut cal = Calendar::official().clone();
        for y in self.imported_years().await? {
            let arr: YearArrangement =
                serde_json::from_str(&y.arrangement).map_err(|e| StoreError::Corrupt(format!("calendar year {}: {e}", y.year)))?;
            cal = cal.with_arrangement(arr);
        }
        Ok(cal)
    }
}

impl Tx {
    /// Stores (or replaces) a year's arrangement.
    pub async fn put_calendar_year(&mut self, arrangement: &YearArrangement, by: &str) -> Result<()> {
        let json = serde_json::to_string(arrangement).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.execute(
            &Query::insert()
                .into_table(CalendarYears::Table)
                .columns([
                    CalendarYears::Year,
                    CalendarYears::Arrangement,
                    CalendarYears::ImportedAt,
                    CalendarYears::ImportedBy,
                ])
                .values_panic([i64::from(arrangement.year).into(), json.into(), now_ts().into(), by.into()])
                .on_conflict(
                    OnConflict::column(CalendarYears::Year)
                        .update_columns([CalendarYears::Arrangement, CalendarYears::ImportedAt, CalendarYears::ImportedBy])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await
        .map(|_| ())
    }

    pub async fn delete_calendar_year(&mut self, year: i32) -> Result<bool> {
        Ok(self
            .execute(
                &Query::delete()
                    .from_table(CalendarYears::Table)
                    .and_where(Expr::col(CalendarYears::Year).eq(i64::from(year)))
                    .to_owned(),
            )
            .await?
            > 0)
    }
}
