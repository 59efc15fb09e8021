//! `gongkai bench qa`: the matcher against plain BM25 over jieba tokens of
//! the standard questions, on the shared FAQ corpus and the evaluation set in
//! `bench/qa/eval.jsonl` (answerable rewordings and unanswerable questions):
//! accuracy@1, recall@5, overall accuracy (a correct abstention counts as
//! correct), then match latency and memory on a 100,000-entry library built
//! by replicating the corpus with variations. `--fit` refits the confidence
//! calibration on the even-numbered half of the set and reports both halves.

use gongkai_domain::qa::synonyms::DEFAULT_SYNONYMS;
use gongkai_domain::qa::{Outcome, SynonymTable};
use gongkai_search::qa::{CALIBRATION_INPUTS, Candidate, QaDoc, QaIndex, Weights, calibration_inputs_at};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct Options {
    pub corpus: PathBuf,
    pub eval: PathBuf,
    pub library_size: usize,
    pub rounds: usize,
    pub fit: bool,
    /// Print the answerable questions of the even half whose first match is wrong.
    pub show_misses: bool,
    /// Search the re-ranker weights on the even half and report both halves.
    pub tune: bool,
    /// Write each question's candidates with their features here (JSONL).
    pub dump: Option<PathBuf>,
}

#[derive(Deserialize)]
struct CorpusLine {
    id: String,
    question: String,
    answer: String,
}

#[derive(Deserialize, Clone)]
pub struct EvalLine {
    pub q: String,
    pub expect: Vec<String>,
    pub kind: String,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &PathBuf) -> anyhow::Result<Vec<T>> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), i + 1)))
        .collect()
}

/// Plain BM25 over jieba tokens of the standard questions: the peer.
pub struct Bm25 {
    postings: HashMap<String, Vec<(u32, u16)>>,
    lens: Vec<u16>,
    avg: f32,
}

impl Bm25 {
    pub fn build<'a>(questions: impl Iterator<Item = &'a str>) -> Bm25 {
        let mut postings: HashMap<String, Vec<(u32, u16)>> = HashMap::new();
        let mut lens = Vec::new();
        for (i, q) in questions.enumerate() {
            let words: Vec<String> = gongkai_search::tokenizer::segment(q).into_iter().map(|s| s.word).collect();
            lens.push(words.len() as u16);
            let mut tf: HashMap<String, u16> = HashMap::new();
            for w in words {
                *tf.entry(w).or_default() += 1;
            }
            for (w, n) in tf {
                postings.entry(w).or_default().push((i as u32, n));
            }
        }
        let avg = lens.iter().map(|&l| l as f32).sum::<f32>() / lens.len().max(1) as f32;
        Bm25 { postings, lens, avg }
    }

    /// Up to `k` (document, score), best first.
    pub fn search(&self, q: &str, k: usize) -> Vec<(u32, f32)> {
        let n = self.lens.len() as f32;
        let mut scores: HashMap<u32, f32> = HashMap::new();
        let mut words: Vec<String> = gongkai_search::tokenizer::segment(q).into_iter().map(|s| s.word).collect();
        words.sort();
        words.dedup();
        for w in words {
            let Some(p) = self.postings.get(&w) else { continue };
            let idf = (1.0 + (n - p.len() as f32 + 0.5) / (p.len() as f32 + 0.5)).ln();
            for &(d, tf) in p {
                let tf = tf as f32;
                let len = self.lens[d as usize] as f32;
                *scores.entry(d).or_default() += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / self.avg));
            }
        }
        let mut v: Vec<(u32, f32)> = scores.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(k);
        v
    }
}

/// Accuracy figures of one system on a set of questions.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    pub answerable: usize,
    pub unanswerable: usize,
    pub top1: usize,
    pub top5: usize,
    pub correct_answers: usize,
    pub correct_abstentions: usize,
    /// Questions answered at once (right or wrong).
    pub answered: usize,
    pub answered_wrongly: usize,
}

impl Scores {
    pub fn accuracy_at_1(&self) -> f64 {
        self.top1 as f64 / self.answerable.max(1) as f64
    }
    pub fn recall_at_5(&self) -> f64 {
        self.top5 as f64 / self.answerable.max(1) as f64
    }
    pub fn overall(&self) -> f64 {
        (self.correct_answers + self.correct_abstentions) as f64 / (self.answerable + self.unanswerable).max(1) as f64
    }
}

/// The decision the app makes (every corpus entry may answer at once).
fn decide(c: &[Candidate]) -> Outcome {
    match c.first() {
        Some(top) => super::THRESHOLDS.decide(top.confidence, true),
        None => Outcome::Abstain,
    }
}

/// Scores the matcher on `set`. An answerable question counts as correct
/// overall when the matcher does not abstain and its first match is right
/// (answer or suggest with the right entry first); an unanswerable one when
/// it abstains.
pub fn evaluate(ix: &QaIndex, ids: &[String], set: &[&EvalLine]) -> Scores {
    let mut s = Scores::default();
    for e in set {
        let r = ix.search(&e.q, 5);
        let outcome = decide(&r.candidates);
        let names: Vec<&str> = r.candidates.iter().map(|c| ids[c.id as usize].as_str()).collect();
        if outcome == Outcome::Answer {
            s.answered += 1;
        }
        if e.expect.is_empty() {
            s.unanswerable += 1;
            if outcome == Outcome::Abstain {
                s.correct_abstentions += 1;
            } else if outcome == Outcome::Answer {
                s.answered_wrongly += 1;
            }
        } else {
            s.answerable += 1;
            let hit1 = names.first().is_some_and(|n| e.expect.iter().any(|x| x == n));
            if hit1 {
                s.top1 += 1;
                if outcome != Outcome::Abstain {
                    s.correct_answers += 1;
                }
            } else if outcome == Outcome::Answer {
                s.answered_wrongly += 1;
            }
            if names.iter().any(|n| e.expect.iter().any(|x| x == n)) {
                s.top5 += 1;
            }
        }
    }
    s
}

fn evaluate_bm25(bm: &Bm25, ids: &[String], set: &[&EvalLine], threshold: f32) -> Scores {
    let mut s = Scores::default();
    for e in set {
        let r = bm.search(&e.q, 5);
        let abstain = r.first().is_none_or(|x| x.1 < threshold);
        let names: Vec<&str> = r.iter().map(|(d, _)| ids[*d as usize].as_str()).collect();
        if e.expect.is_empty() {
            s.unanswerable += 1;
            if abstain {
                s.correct_abstentions += 1;
            }
        } else {
            s.answerable += 1;
            if names.first().is_some_and(|n| e.expect.iter().any(|x| x == n)) {
                s.top1 += 1;
                if !abstain {
                    s.correct_answers += 1;
                }
            }
            if names.iter().any(|n| e.expect.iter().any(|x| x == n)) {
                s.top5 += 1;
            }
        }
    }
    s
}

/// Fits the calibration by logistic regression of "the first candidate is
/// right" on its [`calibration_inputs_at`]. The inputs are standardised for the
/// descent (a little L2 keeps the weights finite on separable data) and the
/// weights mapped back to the raw inputs.
fn fit(ix: &QaIndex, ids: &[String], set: &[&EvalLine]) -> Weights {
    const N: usize = CALIBRATION_INPUTS;
    let mut xs: Vec<([f32; N], f32)> = Vec::new();
    for e in set {
        let r = ix.search(&e.q, 3);
        let x = match r.candidates.first() {
            Some(top) => {
                let right = e.expect.iter().any(|x| *x == ids[top.id as usize]);
                (calibration_inputs_at(&r.candidates, 0), if right { 1.0 } else { 0.0 })
            }
            None => {
                let mut x = [0.0; N];
                x[0] = 1.0;
                (x, 0.0)
            }
        };
        xs.push(x);
    }
    let n = xs.len().max(1) as f32;
    let mut mean = [0.0f32; N];
    let mut sd = [1.0f32; N];
    for k in 1..N {
        mean[k] = xs.iter().map(|(x, _)| x[k]).sum::<f32>() / n;
        let var = xs.iter().map(|(x, _)| (x[k] - mean[k]).powi(2)).sum::<f32>() / n;
        sd[k] = var.sqrt().max(1e-4);
    }
    let z: Vec<([f32; N], f32)> = xs
        .iter()
        .map(|(x, y)| {
            let mut s = *x;
            for k in 1..N {
                s[k] = (x[k] - mean[k]) / sd[k];
            }
            (s, *y)
        })
        .collect();
    let mut w = [0.0f32; N];
    let lr = 0.5;
    for _ in 0..20_000 {
        let mut g = [0.0f32; N];
        for (x, y) in &z {
            let t: f32 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-t).exp());
            for k in 0..N {
                g[k] += (p - y) * x[k];
            }
        }
        for k in 0..N {
            w[k] -= lr * (g[k] / n + if k > 0 { 0.01 * w[k] } else { 0.0 });
        }
    }
    // Back to the raw inputs: w·z = w₀ − Σ wₖ·meanₖ/sdₖ + Σ (wₖ/sdₖ)·xₖ.
    let mut raw = [0.0f32; N];
    raw[0] = w[0];
    for k in 1..N {
        raw[k] = w[k] / sd[k];
        raw[0] -= w[k] * mean[k] / sd[k];
    }
    Weights {
        calibration: raw,
        ..ix.weights()
    }
}

/// The suggest threshold that maximises overall accuracy on `set`, and the
/// lowest answer threshold whose immediate answers are right at least 93% of the time on `set`.
fn choose_thresholds(ix: &QaIndex, ids: &[String], set: &[&EvalLine]) -> (f32, f32) {
    let mut tops: Vec<(f32, bool, bool)> = Vec::new();
    for e in set {
        let r = ix.search(&e.q, 1);
        let (conf, right) = r
            .candidates
            .first()
            .map_or((0.0, false), |c| (c.confidence, e.expect.iter().any(|x| *x == ids[c.id as usize])));
        tops.push((conf, right, e.expect.is_empty()));
    }
    let mut best = (0.0f32, 0.5f32);
    for i in 1..100 {
        let t = i as f32 / 100.0;
        let correct = tops
            .iter()
            .filter(|(c, right, unanswerable)| if *unanswerable { *c < t } else { *c >= t && *right })
            .count();
        let acc = correct as f32 / tops.len().max(1) as f32;
        if acc > best.0 {
            best = (acc, t);
        }
    }
    let mut answer = 0.99;
    for i in (1..100).rev() {
        let t = i as f32 / 100.0;
        let given: Vec<_> = tops.iter().filter(|(c, ..)| *c >= t).collect();
        if given.is_empty() {
            continue;
        }
        let precision = given.iter().filter(|(_, right, _)| *right).count() as f32 / given.len() as f32;
        if precision >= 0.93 {
            answer = t;
        } else {
            break;
        }
    }
    (best.1, answer.max(best.1))
}

/// A library of `n` entries: the corpus, then copies whose questions and
/// answers name a district, a year or a service point, like the same FAQ
/// published by many offices.
fn replicate(corpus: &[CorpusLine], n: usize) -> Vec<QaDoc> {
    const PLACES: [&str; 12] = [
        "北投区",
        "士林区",
        "大同区",
        "中山区",
        "松山区",
        "内湖区",
        "南港区",
        "信义区",
        "大安区",
        "万华区",
        "文山区",
        "中正区",
    ];
    const PREFIX: [&str; 6] = ["请问", "关于", "市民询问：", "", "想了解", "民众常问："];
    let mut out = Vec::with_capacity(n);
    let mut k = 0usize;
    while out.len() < n {
        for c in corpus {
            if out.len() >= n {
                break;
            }
            let copy = k / corpus.len();
            let (q, a) = if copy == 0 {
                (c.question.clone(), c.answer.clone())
            } else {
                let place = PLACES[copy % PLACES.len()];
                let prefix = PREFIX[(copy / PLACES.len()) % PREFIX.len()];
                let year = 2010 + (copy % 15);
                (
                    format!("{prefix}{place}{}（{year}年版）", c.question),
                    format!("{place}{year}年适用：{}", c.answer),
                )
            };
            out.push(QaDoc {
                id: out.len() as i64,
                questions: vec![q],
                answer: a,
                auto_answer: true,
            });
            k += 1;
        }
    }
    out
}

fn rss_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn print_scores(name: &str, s: &Scores) {
    println!(
        "  {name:<28} accuracy@1 {:.3}  recall@5 {:.3}  overall {:.3}  (answerable {}, unanswerable {}, correct abstentions {}, immediate answers {} of which wrong {})",
        s.accuracy_at_1(),
        s.recall_at_5(),
        s.overall(),
        s.answerable,
        s.unanswerable,
        s.correct_abstentions,
        s.answered,
        s.answered_wrongly
    );
}

pub fn run(opts: &Options) -> anyhow::Result<()> {
    let corpus: Vec<CorpusLine> = read_jsonl(&opts.corpus)?;
    let eval: Vec<EvalLine> = read_jsonl(&opts.eval)?;
    let ids: Vec<String> = corpus.iter().map(|c| c.id.clone()).collect();
    let known: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    for e in &eval {
        if let Some(x) = e.expect.iter().find(|x| !known.contains(x.as_str())) {
            anyhow::bail!("evaluation question {:?} expects {x}, which is not in the corpus", e.q);
        }
    }
    let (synonyms, _) = SynonymTable::parse(DEFAULT_SYNONYMS);
    gongkai_search::tokenizer::warm_up();
    let docs = |c: &[CorpusLine]| -> Vec<QaDoc> {
        c.iter()
            .enumerate()
            .map(|(i, c)| QaDoc {
                id: i as i64,
                questions: vec![c.question.clone()],
                answer: c.answer.clone(),
                auto_answer: true,
            })
            .collect()
    };
    let started = Instant::now();
    let mut ix = QaIndex::build(docs(&corpus), &synonyms);
    println!(
        "corpus: {} entries ({}), evaluation set: {} questions ({}); library built in {:.2} s",
        corpus.len(),
        opts.corpus.display(),
        eval.len(),
        opts.eval.display(),
        started.elapsed().as_secs_f64()
    );
    let all: Vec<&EvalLine> = eval.iter().collect();
    if opts.tune {
        let dev: Vec<&EvalLine> = eval.iter().step_by(2).collect();
        let test: Vec<&EvalLine> = eval.iter().skip(1).step_by(2).collect();
        let mut best = (0.0, ix.weights());
        for qc in [0.1, 0.2, 0.3] {
            for qq in [0.2, 0.3, 0.45] {
                for bg in [0.5, 0.6, 0.75] {
                    for uc in [0.5, 0.6, 0.75] {
                        for it in [0.2, 0.25, 0.3] {
                            for ch in [0.4, 0.5, 0.7] {
                                let w = Weights {
                                    query_coverage: qc,
                                    question_coverage: qq,
                                    bigram: bg,
                                    union_coverage: uc,
                                    intent: it,
                                    chars: ch,
                                    ..ix.weights()
                                };
                                ix.set_weights(w);
                                let a = evaluate(&ix, &ids, &dev).accuracy_at_1();
                                if a > best.0 {
                                    best = (a, w);
                                }
                            }
                        }
                    }
                }
            }
        }
        ix.set_weights(best.1);
        println!(
            "tuned on the even half: {:?}; accuracy@1 even {:.3}, odd {:.3}",
            best.1,
            best.0,
            evaluate(&ix, &ids, &test).accuracy_at_1()
        );
    }
    if opts.fit {
        let dev: Vec<&EvalLine> = eval.iter().step_by(2).collect();
        let w = fit(&ix, &ids, &dev);
        ix.set_weights(w);
        let (suggest, answer) = choose_thresholds(&ix, &ids, &dev);
        println!(
            "fitted on the even-numbered half ({} questions): calibration {:?}; thresholds: suggest {suggest:.2}, answer {answer:.2} (the app uses {:?})",
            dev.len(),
            w.calibration,
            super::THRESHOLDS
        );
    }
    if let Some(path) = &opts.dump {
        let mut out = String::new();
        for (line, e) in eval.iter().enumerate() {
            let r = ix.search(&e.q, 10);
            let candidates: Vec<serde_json::Value> = r
                .candidates
                .iter()
                .map(
                    |c| serde_json::json!({"id": ids[c.id as usize], "score": c.score, "confidence": c.confidence, "features": c.features}),
                )
                .collect();
            out.push_str(
                &serde_json::json!({"line": line, "q": e.q, "kind": e.kind, "expect": e.expect, "candidates": candidates}).to_string(),
            );
            out.push('\n');
        }
        std::fs::write(path, out)?;
        println!("candidates of {} questions written to {}", eval.len(), path.display());
    }
    if opts.show_misses {
        for e in eval.iter().step_by(2).filter(|e| !e.expect.is_empty()) {
            let r = ix.search(&e.q, 5);
            let top = r.candidates.first();
            if top.is_some_and(|t| e.expect.iter().any(|x| *x == ids[t.id as usize])) {
                continue;
            }
            let want = corpus.iter().find(|c| c.id == e.expect[0]).map_or("", |c| c.question.as_str());
            let rank = r.candidates.iter().position(|c| e.expect.iter().any(|x| *x == ids[c.id as usize]));
            println!(
                "MISS [{}] {}\n   terms {:?}\n   want {} (rank {:?})",
                e.kind, e.q, r.terms, want, rank
            );
            for c in r.candidates.iter().take(3) {
                println!(
                    "   got  {:.3} {:?} {} {:?}",
                    c.score,
                    (
                        c.features.query_coverage,
                        c.features.question_coverage,
                        c.features.bigram,
                        c.features.union_coverage,
                        c.features.intent
                    ),
                    corpus[c.id as usize].question,
                    c.matched_terms
                );
            }
        }
    }
    let bm = Bm25::build(corpus.iter().map(|c| c.question.as_str()));
    // The BM25 peer gets the abstention threshold that is best for it on this very set.
    let mut best_bm = (0.0f32, evaluate_bm25(&bm, &ids, &all, 0.0));
    for t in (0..200).map(|i| i as f32 * 0.1) {
        let s = evaluate_bm25(&bm, &ids, &all, t);
        if s.overall() > best_bm.1.overall() {
            best_bm = (t, s);
        }
    }
    println!("accuracy (all {} questions):", all.len());
    let ours = evaluate(&ix, &ids, &all);
    print_scores("gongkai matcher", &ours);
    print_scores(&format!("BM25 (threshold {:.1})", best_bm.0), &best_bm.1);
    println!(
        "  accuracy@1 difference: {:+.1} points",
        (ours.accuracy_at_1() - best_bm.1.accuracy_at_1()) * 100.0
    );
    let even: Vec<&EvalLine> = eval.iter().step_by(2).collect();
    let odd: Vec<&EvalLine> = eval.iter().skip(1).step_by(2).collect();
    print_scores("gongkai, even half", &evaluate(&ix, &ids, &even));
    print_scores("gongkai, odd half", &evaluate(&ix, &ids, &odd));
    let mut kinds: Vec<&str> = eval.iter().map(|e| e.kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    for k in kinds {
        let set: Vec<&EvalLine> = eval.iter().filter(|e| e.kind == k).collect();
        let s = evaluate(&ix, &ids, &set);
        let b = evaluate_bm25(&bm, &ids, &set, best_bm.0);
        if k == "unanswerable" {
            println!(
                "  kind {k:<14} correct abstentions: gongkai {:.3}, BM25 {:.3}",
                s.overall(),
                b.overall()
            );
        } else {
            println!(
                "  kind {k:<14} accuracy@1: gongkai {:.3}, BM25 {:.3}  ({} questions)",
                s.accuracy_at_1(),
                b.accuracy_at_1(),
                set.len()
            );
        }
    }

    // Latency and memory on a large library.
    drop(ix);
    let weights = if opts.fit { None } else { Some(Weights::default()) };
    let rss0 = rss_bytes().unwrap_or(0);
    let big_docs = replicate(&corpus, opts.library_size);
    let started = Instant::now();
    let mut big = QaIndex::build(big_docs, &synonyms);
    if let Some(w) = weights {
        big.set_weights(w);
    }
    let build = started.elapsed().as_secs_f64();
    let rss1 = rss_bytes().unwrap_or(0);
    let big_bm = Bm25::build(
        replicate(&corpus, opts.library_size)
            .iter()
            .map(|d| d.questions[0].clone())
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    let mut ours_ms = Vec::new();
    let mut bm_ms = Vec::new();
    for _ in 0..opts.rounds {
        for e in &eval {
            let t = Instant::now();
            let r = big.search(&e.q, 5);
            ours_ms.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(r);
            let t = Instant::now();
            let r = big_bm.search(&e.q, 5);
            bm_ms.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(r);
        }
    }
    ours_ms.sort_by(f64::total_cmp);
    bm_ms.sort_by(f64::total_cmp);
    println!(
        "library of {} entries ({} questions): built in {:.1} s; resident memory +{:.1} MB from before its texts were made (index heap ≈ {:.1} MB)",
        big.len(),
        big.questions(),
        build,
        (rss1.saturating_sub(rss0)) as f64 / 1_048_576.0,
        big.heap_bytes() as f64 / 1_048_576.0
    );
    println!(
        "match latency, single-threaded, {} matches: gongkai p50 {:.3} ms, p99 {:.3} ms; plain BM25 p50 {:.3} ms, p99 {:.3} ms",
        ours_ms.len(),
        percentile(&ours_ms, 0.5),
        percentile(&ours_ms, 0.99),
        percentile(&bm_ms, 0.5),
        percentile(&bm_ms, 0.99)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fitted_calibration_trusts_right_first_matches_more_than_questions_nobody_answers() {
        let (synonyms, _) = SynonymTable::parse(DEFAULT_SYNONYMS);
        let entries = [
            "如何申请敬老卡？",
            "狂犬病疫苗接种费用是多少？",
            "路边停车费如何缴纳？",
            "身心障碍证明遗失要如何补发？",
            "户籍誊本如何申请？",
            "垃圾车几点来收垃圾？",
            "低收入户如何申请生活补助？",
            "如何申请育儿津贴？",
        ];
        let docs = entries.iter().enumerate().map(|(i, q)| QaDoc {
            id: i as i64,
            questions: vec![q.to_string()],
            answer: format!("{q}请洽区公所办理。"),
            auto_answer: true,
        });
        let mut ix = QaIndex::build(docs, &synonyms);
        let ids: Vec<String> = (0..entries.len()).map(|i| format!("E{i}")).collect();
        let line = |q: &str, expect: &[&str]| EvalLine {
            q: q.to_string(),
            expect: expect.iter().map(|s| s.to_string()).collect(),
            kind: String::new(),
        };
        let set = [
            line("敬老卡要怎么申请", &["E0"]),
            line("狗打狂犬病疫苗要多少钱", &["E1"]),
            line("停车费去哪里缴", &["E2"]),
            line("身障证明弄丢了怎么补", &["E3"]),
            line("户籍誊本要怎么申请", &["E4"]),
            line("收垃圾的车几点来", &["E5"]),
            line("低收入户生活补助怎么申请", &["E6"]),
            line("育儿津贴申请", &["E7"]),
            line("敬老卡可以借给别人用吗", &[]),
            line("高考什么时候报名", &[]),
            line("住房公积金怎么提取", &[]),
            line("垃圾分类的罚款是多少", &[]),
            line("结婚登记要带什么", &[]),
            line("停车位月租多少钱", &[]),
        ];
        let refs: Vec<&EvalLine> = set.iter().collect();
        let fitted = fit(&ix, &ids, &refs);
        assert!(fitted.calibration.iter().all(|c| c.is_finite()), "{fitted:?}");
        ix.set_weights(fitted);
        let mean = |answerable: bool| {
            let confs: Vec<f32> = set
                .iter()
                .filter(|e| e.expect.is_empty() != answerable)
                .map(|e| ix.search(&e.q, 3).candidates.first().map_or(0.0, |c| c.confidence))
                .collect();
            confs.iter().sum::<f32>() / confs.len() as f32
        };
        let (right, unanswered) = (mean(true), mean(false));
        assert!(right > unanswered + 0.3, "answerable {right:.2}, unanswerable {unanswered:.2}");
        // Calibrated: on the set it was fitted on, the confidences add up to
        // about the number of right first matches.
        let (mut total, mut rights) = (0.0f32, 0.0f32);
        for e in &set {
            if let Some(top) = ix.search(&e.q, 3).candidates.first() {
                total += top.confidence;
                rights += f32::from(u8::from(e.expect.iter().any(|x| *x == ids[top.id as usize])));
            }
        }
        assert!(
            rights >= 6.0 && (total - rights).abs() < 1.0,
            "confidences add up to {total:.2}, right first matches {rights}"
        );
    }
}
