//! `gongkai bench search`: the search benchmark of BENCHMARKS.md.
//!
//! Given a data folder into which a generated corpus (`gongkai bench
//! generate-documents`) was imported and indexed, and that corpus file, it
//! 1. builds SQLite FTS5 with the trigram tokenizer over the same titles,
//!    文号 and body texts (a separate database file, the peer);
//! 2. runs the same judged queries (1–3 words each, built from the
//!    generator's field vocabulary) on both engines, single-threaded, and
//!    reports latency percentiles and their ratio;
//! 3. scores both rankings with nDCG@10 against graded judgments taken from
//!    the generator's ground truth: 2 = the document's main field is the
//!    query's and its title names one of the query's words, 1 = the main
//!    field or a field the body mentions is the query's, 0 = otherwise;
//! 4. reports the index size against the raw text.
//!
//! FTS5 receives each word as a quoted phrase; trigram cannot match words
//! shorter than three characters through its index, so those are matched with
//! `LIKE` (a scan), exactly as an application on FTS5 would have to.

use crate::corpus::FIELDS;
use crate::state::AppState;
use gongkai_search::catalogue::{SearchRequest, Sort};
use serde::Deserialize;
use sqlx::Row;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

#[derive(Deserialize)]
struct Labels {
    field: String,
    #[serde(default)]
    secondary: Vec<String>,
}

#[derive(Deserialize)]
struct CorpusLine {
    id: String,
    title: String,
    #[serde(default)]
    doc_no: Option<String>,
    body: String,
    labels: Labels,
}

struct Judged {
    title: String,
    field: u8,
    secondary: Vec<u8>,
}

/// A benchmark query: its words and the field it is about.
pub struct BenchQuery {
    pub words: Vec<&'static str>,
    pub field: usize,
}

/// Three queries per field (one, two and three words), from the generator's
/// vocabulary, most common terms first.
pub fn queries() -> Vec<BenchQuery> {
    let mut out = Vec::new();
    for (i, f) in FIELDS.iter().enumerate() {
        let t = f.terms;
        if t.len() < 9 {
            continue;
        }
        out.push(BenchQuery {
            words: vec![t[0]],
            field: i,
        });
        out.push(BenchQuery {
            words: vec![t[1], t[4]],
            field: i,
        });
        out.push(BenchQuery {
            words: vec![t[2], t[5], t[8]],
            field: i,
        });
    }
    out
}

fn grade(d: &Judged, q: &BenchQuery) -> u8 {
    let field = q.field as u8;
    if d.field == field && q.words.iter().any(|w| d.title.contains(w)) {
        2
    } else if d.field == field || d.secondary.contains(&field) {
        1
    } else {
        0
    }
}

fn dcg(grades: impl Iterator<Item = u8>) -> f64 {
    grades
        .take(10)
        .enumerate()
        .map(|(i, g)| (2f64.powi(i32::from(g)) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub struct Options {
    pub corpus: std::path::PathBuf,
    pub fts_db: std::path::PathBuf,
    pub rounds: usize,
    pub fts_rounds: usize,
}

/// Runs the benchmark and prints its report (Markdown) to stdout.
pub async fn run(state: &AppState, opts: &Options) -> anyhow::Result<()> {
    // The corpus: judgments by external id, and the raw text size.
    eprintln!("reading {} …", opts.corpus.display());
    let field_index: HashMap<&str, u8> = FIELDS.iter().enumerate().map(|(i, f)| (f.key, i as u8)).collect();
    let mut judged: HashMap<String, Judged> = HashMap::new();
    let mut raw_bytes: u64 = 0;
    let mut ext_by_line: HashMap<i64, String> = HashMap::new();
    let fts_exists = opts.fts_db.exists();
    let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&opts.corpus)?);
    for (n, line) in file.lines().enumerate() {
        let line = line?;
        let Ok(c) = serde_json::from_str::<CorpusLine>(&line) else {
            continue;
        };
        let text = gongkai_domain::catalogue::html_to_text(&c.body);
        raw_bytes += (c.title.len() + c.doc_no.as_deref().map_or(0, str::len) + text.len()) as u64;
        let Some(&field) = field_index.get(c.labels.field.as_str()) else {
            continue;
        };
        let secondary = c
            .labels
            .secondary
            .iter()
            .filter_map(|s| field_index.get(s.as_str()).copied())
            .collect();
        ext_by_line.insert(n as i64 + 1, c.id.clone());
        judged.insert(
            c.id,
            Judged {
                title: c.title,
                field,
                secondary,
            },
        );
    }
    let docs = judged.len();
    eprintln!("{docs} judged documents, {:.1} MB raw text", raw_bytes as f64 / 1e6);

    // The peer: FTS5 trigram in its own database file.
    let fts = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&opts.fts_db)
                .create_if_missing(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Off)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Off),
        )
        .await?;
    let mut fts_build = None;
    if !fts_exists {
        eprintln!("building FTS5 (trigram) …");
        let started = Instant::now();
        sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(title, doc_no, body, tokenize='trigram')")
            .execute(&fts)
            .await?;
        // FTS5 rowids are corpus line numbers.
        let file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&opts.corpus)?);
        let mut tx = fts.begin().await?;
        for (n, line) in file.lines().enumerate() {
            let Ok(c) = serde_json::from_str::<CorpusLine>(&line?) else {
                continue;
            };
            sqlx::query("INSERT INTO docs(rowid, title, doc_no, body) VALUES (?, ?, ?, ?)")
                .bind(n as i64 + 1)
                .bind(c.title)
                .bind(c.doc_no.unwrap_or_default())
                .bind(gongkai_domain::catalogue::html_to_text(&c.body))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        sqlx::query("INSERT INTO docs(docs) VALUES ('optimize')").execute(&fts).await?;
        fts_build = Some(started.elapsed().as_secs_f64());
    }
    let fts_size = std::fs::metadata(&opts.fts_db).map(|m| m.len()).unwrap_or(0);

    // Our side: the node's index; hits map to external ids through the database.
    let site = crate::catalogue::portal::default_site(state).await?;
    let index = &state.search.index;
    let queries = queries();
    let mut ours_lat = Vec::new();
    let mut fts_lat = Vec::new();
    let mut ours_ndcg = Vec::new();
    let mut fts_ndcg = Vec::new();
    let mut rows = Vec::new();
    for q in &queries {
        let text = q.words.join(" ");
        let req = SearchRequest {
            site_id: site.id,
            text: text.clone(),
            sort: Sort::Relevance,
            limit: 10,
            ..Default::default()
        };
        // Warm once, then time.
        let mut results = index.search(&req)?;
        for _ in 0..opts.rounds {
            let t = Instant::now();
            results = index.search(&req)?;
            ours_lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
        let ext: HashMap<i64, String> = state
            .store
            .documents_by_ids(&ids)
            .await?
            .into_iter()
            .filter_map(|d| d.external_id.map(|e| (d.id, e)))
            .collect();
        let ours_grades: Vec<u8> = ids
            .iter()
            .map(|id| ext.get(id).and_then(|e| judged.get(e)).map_or(0, |d| grade(d, q)))
            .collect();

        let (sql, likes) = fts_query(&q.words);
        let run_fts = || async {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            if let Some(m) = &likes.0 {
                query = query.bind(m.clone());
            }
            for l in &likes.1 {
                query = query.bind(l.clone()).bind(l.clone());
            }
            query.fetch_all(&fts).await
        };
        let mut fts_hits = run_fts().await?;
        for _ in 0..opts.fts_rounds {
            let t = Instant::now();
            fts_hits = run_fts().await?;
            fts_lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let fts_grades: Vec<u8> = fts_hits
            .iter()
            .map(|r| r.get::<i64, _>(0))
            .map(|rowid| ext_by_line.get(&rowid).and_then(|e| judged.get(e)).map_or(0, |d| grade(d, q)))
            .collect();

        // The ideal ranking: every grade-2 document, then grade 1.
        let mut counts = [0usize; 3];
        for d in judged.values() {
            counts[grade(d, q) as usize] += 1;
        }
        let ideal = dcg(std::iter::repeat_n(2u8, counts[2]).chain(std::iter::repeat_n(1u8, counts[1])));
        let o = if ideal > 0.0 {
            dcg(ours_grades.iter().copied()) / ideal
        } else {
            0.0
        };
        let f = if ideal > 0.0 {
            dcg(fts_grades.iter().copied()) / ideal
        } else {
            0.0
        };
        ours_ndcg.push(o);
        fts_ndcg.push(f);
        rows.push(format!(
            "| {text} | {} | {} | {o:.3} | {f:.3} |",
            FIELDS[q.field].name, results.total
        ));
    }
    ours_lat.sort_by(f64::total_cmp);
    fts_lat.sort_by(f64::total_cmp);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (o50, o99, f50, f99) = (
        percentile(&ours_lat, 0.5),
        percentile(&ours_lat, 0.99),
        percentile(&fts_lat, 0.5),
        percentile(&fts_lat, 0.99),
    );
    let index_size = dir_size(&state.config.data_dir.join("search").join("catalogue"));
    println!("## Search benchmark: {docs} documents, {} queries\n", queries.len());
    println!("| | gongkai (tantivy + jieba) | SQLite FTS5 (trigram) | ratio |");
    println!("|---|---|---|---|");
    println!("| latency p50 | {o50:.2} ms | {f50:.2} ms | {:.1}× faster |", f50 / o50);
    println!("| latency p99 | {o99:.2} ms | {f99:.2} ms | {:.1}× faster |", f99 / o99);
    println!(
        "| nDCG@10 (mean) | {:.3} | {:.3} | {:+.3} |",
        mean(&ours_ndcg),
        mean(&fts_ndcg),
        mean(&ours_ndcg) - mean(&fts_ndcg)
    );
    println!(
        "| index size | {:.0} MB ({:.2}× raw text) | {:.0} MB ({:.2}× raw text) | |",
        index_size as f64 / 1e6,
        index_size as f64 / raw_bytes as f64,
        fts_size as f64 / 1e6,
        fts_size as f64 / raw_bytes as f64
    );
    if let Some(s) = fts_build {
        println!("| FTS5 build | | {s:.0} s | |");
    }
    println!(
        "\nraw text: {:.0} MB; timed runs: {} (ours), {} (FTS5)\n",
        raw_bytes as f64 / 1e6,
        ours_lat.len(),
        fts_lat.len()
    );
    println!("| query | field | hits (ours) | nDCG@10 ours | nDCG@10 FTS5 |");
    println!("|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}

/// The FTS5 statement for these words: quoted phrases of three or more
/// characters go to MATCH (ranked by bm25), shorter words to LIKE.
fn fts_query(words: &[&str]) -> (String, (Option<String>, Vec<String>)) {
    let (long, short): (Vec<&str>, Vec<&str>) = words.iter().partition(|w| w.chars().count() >= 3);
    let likes: Vec<String> = short.iter().map(|w| format!("%{w}%")).collect();
    // `+` keeps LIKE out of the FTS5 index plan, which MATCH needs.
    let like_sql: Vec<&str> = likes.iter().map(|_| "(+title LIKE ? OR +body LIKE ?)").collect();
    if long.is_empty() {
        let sql = format!("SELECT rowid FROM docs WHERE {} LIMIT 10", like_sql.join(" AND "));
        (sql, (None, likes))
    } else {
        let m = long.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" AND ");
        let mut sql = "SELECT rowid FROM docs WHERE docs MATCH ?".to_string();
        for l in &like_sql {
            sql.push_str(" AND ");
            sql.push_str(l);
        }
        sql.push_str(" ORDER BY rank LIMIT 10");
        (sql, (Some(m), likes))
    }
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_gives_three_queries_of_one_to_three_words() {
        let q = queries();
        assert!(q.len() >= 30, "{}", q.len());
        assert!(q.iter().all(|q| (1..=3).contains(&q.words.len())));
    }

    #[test]
    fn dcg_rewards_early_relevant_results() {
        assert!(dcg([2u8, 0, 0].into_iter()) > dcg([0u8, 0, 2].into_iter()));
        assert_eq!(dcg(std::iter::empty()), 0.0);
    }

    #[test]
    fn fts_query_sends_short_words_to_like() {
        let (sql, (m, likes)) = fts_query(&["养老保险", "待遇"]);
        assert_eq!(m.as_deref(), Some("\"养老保险\""));
        assert_eq!(likes, vec!["%待遇%".to_string()]);
        assert!(sql.contains("MATCH") && sql.contains("LIKE"));
        let (sql, (m, _)) = fts_query(&["低保"]);
        assert!(m.is_none() && !sql.contains("MATCH"));
    }
}
