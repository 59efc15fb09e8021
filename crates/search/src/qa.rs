//! The Q&A matcher: finds the library entries that answer a citizen's
//! question, says how sure it is, and why.
//!
//! Pipeline: normalise (`gongkai_domain::qa::normalize`: width, case,
//! Traditional → Simplified, punctuation, numerals) → rewrite synonyms to
//! their group's first word (multi-character words anywhere in the text,
//! single characters only as whole words) → jieba segmentation in search mode
//! with the government dictionary → **recall**: BM25 over each standard and
//! similar question, character-bigram overlap with each question (robust to
//! segmentation differences), and BM25 over the answer text → the best 30
//! entries are **re-ranked** by how much of the question's weight (idf) each
//! covers and how much of each entry's question the query covers → a
//! **calibrated confidence** (a logistic function of the best score, its
//! leads over the second and third candidates and the match features, fitted
//! on the tuning half of the evaluation set in `bench/qa`).
//!
//! The index lives in memory (a library of 100,000 entries takes well under
//! 200 MB, see BENCHMARKS.md) and is rebuilt from the database when the
//! library changes; it holds no answer text, only its terms.
//!
//! Not for: deciding what a citizen is told (the app applies
//! [`Thresholds`](gongkai_domain::qa::Thresholds)), storage, or logging.

use aho_corasick::{AhoCorasick, MatchKind};
use gongkai_domain::qa::{SynonymTable, normalize};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// One entry as the matcher sees it.
#[derive(Debug, Clone)]
pub struct QaDoc {
    pub id: i64,
    /// The standard question first, then the similar questions.
    pub questions: Vec<String>,
    /// Plain-text answer (only its terms are kept).
    pub answer: String,
    /// Published, reviewed and in force: may be given as an immediate answer.
    pub auto_answer: bool,
}

/// Words that carry no meaning in a consultation (besides the segmenter's own).
const QA_STOP: &[&str] = &[
    "想",
    "要",
    "想要",
    "需要",
    "问",
    "问问",
    "请",
    "请教",
    "您好",
    "你好",
    "谢谢",
    "麻烦",
    "有",
    "没有",
    "会",
    "能",
    "吗",
    "呢",
    "啊",
    "吧",
    "呀",
    "嘛",
    "哦",
    "这",
    "那",
    "这个",
    "那个",
    "我们",
    "我家",
    "我的",
    "自己",
    "个",
    "些",
    "一些",
    "还",
    "又",
    "可",
    "该",
    "应该",
    "知道",
    "了解",
    "告诉",
    "帮",
    "帮忙",
    "下",
    "多少",
    "几",
    "去",
    "来",
    "到",
    "给",
    "让",
    "用",
    "从",
    "为",
    "跟",
    "向",
    "后",
    "前",
    "时候",
    "有没有",
    "要不要",
    "能不能",
    "可不可以",
    "现在",
    "目前",
    "已经",
    "刚",
    "刚刚",
    "如果",
    "因为",
    "所以",
    "但是",
    "可是",
    "不",
    "没",
    "吗?",
    "是不是",
    "能否",
    "可否",
    "哪",
    "谁",
    "多",
    "啥",
    "咋",
    "么",
    "怎",
    "样",
    "办",
    "一",
    "人",
];

/// Text preparation shared by indexing and querying.
pub struct Analyzer {
    multi: Option<(AhoCorasick, Vec<String>)>,
    single: HashMap<String, String>,
}

impl Analyzer {
    pub fn new(synonyms: &SynonymTable) -> Analyzer {
        let mut patterns = Vec::new();
        let mut replacements = Vec::new();
        let mut single = HashMap::new();
        for group in synonyms.groups() {
            let canonical = &group[0];
            for w in group {
                if w.chars().count() == 1 {
                    single.insert(w.clone(), canonical.clone());
                } else if w != canonical {
                    patterns.push(w.clone());
                    replacements.push(canonical.clone());
                } else {
                    // The canonical word maps to itself so that a longer
                    // overlapping synonym cannot eat into it.
                    patterns.push(w.clone());
                    replacements.push(canonical.clone());
                }
            }
        }
        let multi = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok()
                .map(|ac| (ac, replacements))
        };
        Analyzer { multi, single }
    }

    /// Normalised text with multi-character synonyms rewritten.
    pub fn prepare(&self, text: &str) -> String {
        let n = normalize(text);
        match &self.multi {
            Some((ac, rep)) => ac.replace_all(&n, rep),
            None => n,
        }
    }

    /// The terms of a prepared text, unique, in order of first occurrence.
    pub fn terms(&self, prepared: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in self.terms_with_repeats(prepared) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }

    /// All terms with repetitions (for answer term frequencies). Words the
    /// dictionary does not know come out of jieba as single characters
    /// (身障 → 身, 障); each pair of adjacent single characters is also a
    /// term, so such words still match as a whole.
    fn terms_with_repeats(&self, prepared: &str) -> Vec<String> {
        let segs = crate::tokenizer::segment(prepared);
        let mut out = Vec::with_capacity(segs.len() + 4);
        let single_cjk = |s: &crate::tokenizer::Segment| s.char_end - s.char_start == 1 && !s.word.is_ascii();
        for (i, seg) in segs.iter().enumerate() {
            let w = self.single.get(&seg.word).cloned().unwrap_or_else(|| seg.word.clone());
            if single_cjk(seg)
                && let Some(next) = segs.get(i + 1)
                && single_cjk(next)
                && next.char_start == seg.char_end
            {
                out.push(format!("{}{}", seg.word, next.word));
            }
            if !QA_STOP.contains(&w.as_str()) {
                out.push(w);
            }
        }
        out
    }
}

/// What a question asks for, by its wording: the same topic asked for its
/// cost, time, place, eligibility, documents or procedure wants different
/// entries. One bit per intent.
const INTENTS: [&[&str]; 8] = [
    // cost
    &["多少钱", "费用", "收费", "价格", "花钱", "免费", "要钱", "付费", "缴费", "钱"],
    // time
    &[
        "何时",
        "什么时候",
        "时间",
        "几点",
        "多久",
        "期限",
        "日期",
        "哪天",
        "几号",
        "时段",
        "开放",
    ],
    // place
    &[
        "哪里",
        "地点",
        "地址",
        "在哪",
        "何处",
        "怎么去",
        "交通",
        "到达",
        "位置",
        "哪个单位",
        "窗口",
    ],
    // eligibility
    &["资格", "条件", "对象", "哪些人", "谁可以", "符合", "可以申请吗", "能申请吗"],
    // documents
    &["文件", "材料", "证件", "带什么", "应备", "证明"],
    // amount / standard
    &["多少", "金额", "标准", "额度", "几次", "上限"],
    // contact
    &["电话", "联系", "洽询", "询问"],
    // procedure
    &["如何", "怎么", "怎样", "流程", "程序", "步骤", "手续", "办理", "申请"],
];

fn distinct_chars(prepared: &str) -> Box<[char]> {
    let mut v: Vec<char> = prepared.chars().filter(|c| c.is_alphanumeric()).collect();
    v.sort_unstable();
    v.dedup();
    v.into_boxed_slice()
}

fn intents(prepared: &str) -> u8 {
    let mut bits = 0u8;
    for (i, words) in INTENTS.iter().enumerate() {
        if words.iter().any(|w| prepared.contains(w)) {
            bits |= 1 << i;
        }
    }
    bits
}

/// Character bigrams of a prepared text (letters, digits and CJK only).
fn bigrams(prepared: &str) -> Vec<u64> {
    let chars: Vec<char> = prepared.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut out: Vec<u64> = chars
        .windows(2)
        .map(|w| (u64::from(w[0] as u32) << 32) | u64::from(w[1] as u32))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Weights of the re-ranker and the confidence calibration.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Weights {
    /// Share of the query's weight that the entry's question covers.
    pub query_coverage: f32,
    /// Share of the entry question's weight that the query covers.
    pub question_coverage: f32,
    /// Character-bigram Dice overlap with the question.
    pub bigram: f32,
    /// Share of the query's weight found in the question or the answer.
    pub union_coverage: f32,
    /// Share of the query's intents (cost, time, place, …) the question shares.
    pub intent: f32,
    /// Share of the query's characters (idf-weighted) found in the question:
    /// catches abbreviations (公厕 / 公共厕所) that share no word.
    pub chars: f32,
    /// The calibration: confidence = sigmoid(c · x), x the candidate's
    /// [`calibration_inputs_at`] (a constant, the score, its lead over the
    /// second and over the third candidate, and the features), a logistic
    /// regression of “the first candidate is right” fitted on the evaluation
    /// set's tuning half (`gongkai bench qa --fit`).
    pub calibration: [f32; CALIBRATION_INPUTS],
}

impl Default for Weights {
    /// Tuned on the even-numbered half of `bench/qa/eval.jsonl`
    /// (`gongkai bench qa --tune --fit`).
    fn default() -> Self {
        Weights {
            query_coverage: 0.1,
            question_coverage: 0.2,
            bigram: 0.75,
            union_coverage: 0.5,
            intent: 0.2,
            chars: 0.4,
            calibration: CALIBRATION,
        }
    }
}

/// One candidate with the reasons for its score.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: i64,
    /// Re-ranked score (0–1.15).
    pub score: f32,
    /// Calibrated probability that this entry answers the question (best candidate only; others get their own estimate).
    pub confidence: f32,
    pub auto_answer: bool,
    /// Which of the entry's questions matched best (0 = the standard question).
    pub matched_question: usize,
    /// The query's words found in that question.
    pub matched_terms: Vec<String>,
    /// The query's words found only in the answer.
    pub answer_terms: Vec<String>,
    pub features: Features,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Features {
    pub query_coverage: f32,
    pub question_coverage: f32,
    pub bigram: f32,
    pub union_coverage: f32,
    pub intent: f32,
    pub chars: f32,
    /// Weight of the heaviest query word found neither in the question nor in
    /// the answer, relative to the heaviest query word (0 when all are found).
    pub missing: f32,
    /// Recall score (BM25 of question and answer, bigram overlap).
    pub recall: f32,
}

/// The result of one match.
#[derive(Debug, Clone, Serialize)]
pub struct MatchResult {
    /// The query's terms after normalisation and synonyms.
    pub terms: Vec<String>,
    pub candidates: Vec<Candidate>,
}

/// The in-memory index of one site's library.
pub struct QaIndex {
    analyzer: Analyzer,
    weights: Weights,
    term_ids: HashMap<Box<str>, u32>,
    term_names: Vec<Box<str>>,
    /// Per term: questions containing it (ascending).
    q_post: Vec<Vec<u32>>,
    /// Per term: `entry << 8 | tf` of answers containing it (ascending).
    a_post: Vec<Vec<u32>>,
    bigram_ids: HashMap<u64, u32>,
    /// Per bigram: questions containing it (ascending).
    b_post: Vec<Vec<u32>>,
    q_entry: Vec<u32>,
    q_terms: Vec<Box<[u32]>>,
    q_bigrams: Vec<u32>,
    q_ordinal: Vec<u16>,
    q_intents: Vec<u8>,
    /// Per question: its distinct characters, sorted.
    q_chars: Vec<Box<[char]>>,
    /// Questions containing each character.
    char_df: HashMap<char, u32>,
    e_id: Vec<i64>,
    e_auto: Vec<bool>,
    a_len: Vec<u16>,
    avg_q_len: f32,
    avg_a_len: f32,
}

struct Scratch {
    q_score: Vec<f32>,
    q_touched: Vec<u32>,
    e_score: Vec<f32>,
    e_touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch { q_score: Vec::new(), q_touched: Vec::new(), e_score: Vec::new(), e_touched: Vec::new() }) };
}

const K1: f32 = 1.2;
const B: f32 = 0.75;
const RERANK: usize = 40;
/// The most the lead over the runner-up counts in the calibration.
pub const MARGIN_CAP: f32 = 0.1;

fn idf(n: usize, df: usize) -> f32 {
    (1.0 + (n as f32 - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
}

impl QaIndex {
    /// Builds the index of `docs` with this synonym table.
    pub fn build(docs: impl IntoIterator<Item = QaDoc>, synonyms: &SynonymTable) -> QaIndex {
        Self::build_with(docs, synonyms, Weights::default())
    }

    pub fn build_with(docs: impl IntoIterator<Item = QaDoc>, synonyms: &SynonymTable, weights: Weights) -> QaIndex {
        let analyzer = Analyzer::new(synonyms);
        let mut ix = QaIndex {
            analyzer,
            weights,
            term_ids: HashMap::new(),
            term_names: Vec::new(),
            q_post: Vec::new(),
            a_post: Vec::new(),
            bigram_ids: HashMap::new(),
            b_post: Vec::new(),
            q_entry: Vec::new(),
            q_terms: Vec::new(),
            q_bigrams: Vec::new(),
            q_ordinal: Vec::new(),
            q_intents: Vec::new(),
            q_chars: Vec::new(),
            char_df: HashMap::new(),
            e_id: Vec::new(),
            e_auto: Vec::new(),
            a_len: Vec::new(),
            avg_q_len: 1.0,
            avg_a_len: 1.0,
        };
        let mut q_len_sum = 0usize;
        let mut a_len_sum = 0usize;
        for doc in docs {
            let e = ix.e_id.len() as u32;
            ix.e_id.push(doc.id);
            ix.e_auto.push(doc.auto_answer);
            for (ordinal, q) in doc.questions.iter().enumerate().take(u16::MAX as usize) {
                let qi = ix.q_entry.len() as u32;
                let prepared = ix.analyzer.prepare(q);
                let terms = ix.analyzer.terms(&prepared);
                let mut ids: Vec<u32> = terms.iter().map(|t| ix.intern(t)).collect();
                ids.sort_unstable();
                ids.dedup();
                for &t in &ids {
                    ix.q_post[t as usize].push(qi);
                }
                q_len_sum += ids.len();
                let bgs = bigrams(&prepared);
                for b in &bgs {
                    let next = ix.bigram_ids.len() as u32;
                    let id = *ix.bigram_ids.entry(*b).or_insert(next);
                    if id == next {
                        ix.b_post.push(Vec::new());
                    }
                    ix.b_post[id as usize].push(qi);
                }
                ix.q_bigrams.push(bgs.len() as u32);
                ix.q_entry.push(e);
                ix.q_terms.push(ids.into_boxed_slice());
                ix.q_ordinal.push(ordinal as u16);
                ix.q_intents.push(intents(&prepared));
                let chars = distinct_chars(&prepared);
                for c in chars.iter() {
                    *ix.char_df.entry(*c).or_default() += 1;
                }
                ix.q_chars.push(chars);
            }
            // Answers: term frequencies over the first part of the answer
            // (long answers list many unrelated matters further down).
            let answer: String = doc.answer.chars().take(1500).collect();
            let prepared = ix.analyzer.prepare(&answer);
            let mut tf: HashMap<u32, u32> = HashMap::new();
            let words = ix.analyzer.terms_with_repeats(&prepared);
            let len = words.len();
            for w in words {
                let t = ix.intern(&w);
                *tf.entry(t).or_default() += 1;
            }
            let mut tf: Vec<(u32, u32)> = tf.into_iter().collect();
            tf.sort_unstable();
            for (t, n) in tf {
                ix.a_post[t as usize].push((e << 8) | n.min(255));
            }
            ix.a_len.push(len.min(u16::MAX as usize) as u16);
            a_len_sum += len;
        }
        if !ix.q_entry.is_empty() {
            ix.avg_q_len = (q_len_sum as f32 / ix.q_entry.len() as f32).max(1.0);
        }
        if !ix.e_id.is_empty() {
            ix.avg_a_len = (a_len_sum as f32 / ix.e_id.len() as f32).max(1.0);
        }
        for p in ix.q_post.iter_mut().chain(ix.a_post.iter_mut()).chain(ix.b_post.iter_mut()) {
            p.shrink_to_fit();
        }
        ix
    }

    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.term_ids.get(term) {
            return id;
        }
        let id = self.term_names.len() as u32;
        self.term_ids.insert(term.into(), id);
        self.term_names.push(term.into());
        self.q_post.push(Vec::new());
        self.a_post.push(Vec::new());
        id
    }

    pub fn len(&self) -> usize {
        self.e_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.e_id.is_empty()
    }

    pub fn questions(&self) -> usize {
        self.q_entry.len()
    }

    pub fn weights(&self) -> Weights {
        self.weights
    }

    pub fn set_weights(&mut self, weights: Weights) {
        self.weights = weights;
    }

    /// The query's terms as the matcher sees them.
    pub fn analyze(&self, query: &str) -> Vec<String> {
        self.analyzer.terms(&self.analyzer.prepare(query))
    }

    /// Does the answer of entry `e` contain term `t`?
    fn answer_has(&self, t: u32, e: u32) -> bool {
        let p = &self.a_post[t as usize];
        p.binary_search_by(|x| (x >> 8).cmp(&e)).is_ok()
    }

    /// Up to `limit` candidates, best first.
    pub fn search(&self, query: &str, limit: usize) -> MatchResult {
        let prepared = self.analyzer.prepare(query);
        let terms = self.analyzer.terms(&prepared);
        let nq = self.q_entry.len();
        let ne = self.e_id.len();
        if nq == 0 || terms.is_empty() && prepared.is_empty() {
            return MatchResult {
                terms,
                candidates: Vec::new(),
            };
        }
        // Query terms with their weights; unknown words weigh as the rarest.
        let max_idf = idf(nq + ne, 0);
        let mut qterms: Vec<(Option<u32>, f32)> = Vec::with_capacity(terms.len());
        // A pair of single characters the library never uses is a segmentation
        // artefact (卡要, 所做), not a word the library lacks: drop it.
        let singles: Vec<String> = crate::tokenizer::segment(&prepared)
            .into_iter()
            .filter(|s| s.char_end - s.char_start == 1)
            .map(|s| s.word)
            .collect();
        let terms: Vec<String> = terms
            .into_iter()
            .filter(|t| {
                let n = t.chars().count();
                !(n == 2 && !self.term_ids.contains_key(t.as_str()) && t.chars().all(|c| !c.is_ascii()) && {
                    let (a, b) = (t.chars().next(), t.chars().nth(1));
                    let (a, b) = (a.map(String::from).unwrap_or_default(), b.map(String::from).unwrap_or_default());
                    singles.contains(&a) && singles.contains(&b)
                })
            })
            .collect();
        for t in &terms {
            match self.term_ids.get(t.as_str()) {
                Some(&id) => {
                    let df = self.q_post[id as usize].len() + self.a_post[id as usize].len();
                    qterms.push((Some(id), idf(nq + ne, df)));
                }
                None => qterms.push((None, max_idf)),
            }
        }
        // Parts of a compound query word (敬老卡 → 敬老, 卡) count with it:
        // halve the weight of words contained in another query word.
        for i in 0..terms.len() {
            if terms
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && o.len() > terms[i].len() && o.contains(terms[i].as_str()))
            {
                qterms[i].1 *= 0.5;
            }
        }
        let q_weight: f32 = qterms.iter().map(|x| x.1).sum::<f32>().max(1e-6);
        let qbig = bigrams(&prepared);
        let q_intents = intents(&prepared);
        let q_chars: Vec<(char, f32)> = distinct_chars(&prepared)
            .iter()
            .map(|c| (*c, idf(nq, self.char_df.get(c).copied().unwrap_or(0) as usize)))
            .collect();
        let qbig_known: Vec<u32> = qbig.iter().filter_map(|b| self.bigram_ids.get(b).copied()).collect();

        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            if s.q_score.len() < nq {
                s.q_score.resize(nq, 0.0);
            }
            if s.e_score.len() < ne {
                s.e_score.resize(ne, 0.0);
            }
            // Recall 1: BM25 over questions (skipping near-universal words).
            for &(id, w) in &qterms {
                let Some(id) = id else { continue };
                let post = &self.q_post[id as usize];
                if post.len() > nq / 3 + 10 {
                    continue;
                }
                let idf_q = idf(nq, post.len());
                for &qi in post {
                    let len = self.q_terms[qi as usize].len() as f32;
                    let sat = (K1 + 1.0) / (1.0 + K1 * (1.0 - B + B * len / self.avg_q_len));
                    let v = &mut s.q_score[qi as usize];
                    if *v == 0.0 {
                        s.q_touched.push(qi);
                    }
                    *v += idf_q * sat * (w / idf_q.max(1e-3)).min(1.0) / q_weight * 2.0;
                }
            }
            // Recall 2: bigram overlap with questions.
            if !qbig.is_empty() {
                let per = 1.0 / qbig.len() as f32;
                for &b in &qbig_known {
                    let post = &self.b_post[b as usize];
                    if post.len() > nq / 4 + 10 {
                        continue;
                    }
                    for &qi in post {
                        let v = &mut s.q_score[qi as usize];
                        if *v == 0.0 {
                            s.q_touched.push(qi);
                        }
                        *v += per;
                    }
                }
            }
            for &qi in &s.q_touched {
                let e = self.q_entry[qi as usize];
                let v = s.q_score[qi as usize];
                s.q_score[qi as usize] = 0.0;
                let ev = &mut s.e_score[e as usize];
                if *ev == 0.0 {
                    s.e_touched.push(e);
                }
                if v > *ev {
                    *ev = v;
                }
            }
            s.q_touched.clear();
            // Recall 3: BM25 over answers, weaker.
            for &(id, w) in &qterms {
                let Some(id) = id else { continue };
                let post = &self.a_post[id as usize];
                if post.len() > ne / 3 + 10 {
                    continue;
                }
                let idf_a = idf(ne, post.len());
                for &x in post {
                    let e = x >> 8;
                    let tf = (x & 0xFF) as f32;
                    let len = self.a_len[e as usize] as f32;
                    let part = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_a_len));
                    let ev = &mut s.e_score[e as usize];
                    if *ev == 0.0 {
                        s.e_touched.push(e);
                    }
                    *ev += 0.3 * idf_a * part * (w / idf_a.max(1e-3)).min(1.0) / q_weight;
                }
            }
            // The best entries by recall score.
            let mut pool: Vec<(f32, u32)> = s.e_touched.iter().map(|&e| (s.e_score[e as usize], e)).collect();
            for &e in &s.e_touched {
                s.e_score[e as usize] = 0.0;
            }
            s.e_touched.clear();
            let k = RERANK.max(limit).min(pool.len());
            if k == 0 {
                return MatchResult {
                    terms,
                    candidates: Vec::new(),
                };
            }
            pool.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0));
            pool.truncate(k);
            let mut cands: Vec<Candidate> = pool
                .into_iter()
                .map(|(recall, e)| self.rerank(e, recall, &qterms, q_weight, &qbig, q_intents, &q_chars))
                .collect();
            cands.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
            let confidences: Vec<f32> = (0..cands.len())
                .map(|i| self.weights.confidence(&calibration_inputs_at(&cands, i)))
                .collect();
            for (c, confidence) in cands.iter_mut().zip(confidences) {
                c.confidence = confidence;
            }
            cands.truncate(limit);
            MatchResult { terms, candidates: cands }
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn rerank(
        &self,
        e: u32,
        recall: f32,
        qterms: &[(Option<u32>, f32)],
        q_weight: f32,
        qbig: &[u64],
        q_intents: u8,
        q_chars: &[(char, f32)],
    ) -> Candidate {
        let q_char_weight: f32 = q_chars.iter().map(|x| x.1).sum::<f32>().max(1e-6);
        let q_max = qterms.iter().map(|x| x.1).fold(0.0f32, f32::max);
        // The entry's questions are contiguous.
        let first = self.q_entry.partition_point(|&x| x < e);
        let mut best: Option<(f32, usize, Features, Vec<u32>)> = None;
        let answer_cov: Vec<bool> = qterms.iter().map(|&(id, _)| id.is_some_and(|t| self.answer_has(t, e))).collect();
        let nq = self.q_entry.len();
        let w = self.weights;
        let mut qi = first;
        while qi < nq && self.q_entry[qi] == e {
            let cterms = &self.q_terms[qi];
            let mut covered = 0.0f32;
            let mut union = 0.0f32;
            let mut missing = 0.0f32;
            let mut matched = Vec::new();
            for (k, &(id, wt)) in qterms.iter().enumerate() {
                let in_q = id.is_some_and(|t| cterms.binary_search(&t).is_ok());
                if in_q {
                    covered += wt;
                    if let Some(t) = id {
                        matched.push(t);
                    }
                }
                if in_q || answer_cov[k] {
                    union += wt;
                } else {
                    missing = missing.max(wt);
                }
            }
            let c_weight: f32 = cterms
                .iter()
                .map(|&t| idf(nq, self.q_post[t as usize].len()))
                .sum::<f32>()
                .max(1e-6);
            let c_cov: f32 = cterms
                .iter()
                .filter(|&&t| qterms.iter().any(|&(id, _)| id == Some(t)))
                .map(|&t| idf(nq, self.q_post[t as usize].len()))
                .sum::<f32>()
                / c_weight;
            let shared = self.shared_bigrams(qi as u32, qbig);
            let total = qbig.len() + self.q_bigrams[qi] as usize;
            let dice = if total == 0 { 0.0 } else { 2.0 * shared as f32 / total as f32 };
            let c_intents = self.q_intents[qi];
            let intent = if q_intents == 0 {
                0.5
            } else {
                (q_intents & c_intents).count_ones() as f32 / q_intents.count_ones() as f32
            };
            let cchars = &self.q_chars[qi];
            let chars = q_chars
                .iter()
                .filter(|(c, _)| cchars.binary_search(c).is_ok())
                .map(|x| x.1)
                .sum::<f32>()
                / q_char_weight;
            let f = Features {
                query_coverage: covered / q_weight,
                question_coverage: c_cov,
                bigram: dice,
                union_coverage: union / q_weight,
                intent,
                chars,
                missing: missing / q_max.max(1e-6),
                recall,
            };
            let score = w.query_coverage * f.query_coverage
                + w.question_coverage * f.question_coverage
                + w.bigram * f.bigram
                + w.union_coverage * f.union_coverage
                + w.intent * f.intent
                + w.chars * f.chars;
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, self.q_ordinal[qi] as usize, f, matched));
            }
            qi += 1;
        }
        let (score, ordinal, features, matched) = best.unwrap_or_default();
        let answer_terms = qterms
            .iter()
            .zip(&answer_cov)
            .filter(|(x, a)| **a && !x.0.is_some_and(|t| matched.contains(&t)))
            .filter_map(|(x, _)| x.0.map(|t| self.term_names[t as usize].to_string()))
            .collect();
        Candidate {
            id: self.e_id[e as usize],
            score,
            confidence: 0.0,
            auto_answer: self.e_auto[e as usize],
            matched_question: ordinal,
            matched_terms: matched.iter().map(|&t| self.term_names[t as usize].to_string()).collect(),
            answer_terms,
            features,
        }
    }

    /// Number of the query's bigrams that occur in question `qi`.
    fn shared_bigrams(&self, qi: u32, qbig: &[u64]) -> usize {
        qbig.iter()
            .filter(|b| {
                self.bigram_ids
                    .get(b)
                    .is_some_and(|&id| self.b_post[id as usize].binary_search(&qi).is_ok())
            })
            .count()
    }

    /// Approximate heap bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        let vecs = |v: &Vec<Vec<u32>>| v.iter().map(|p| p.capacity() * 4 + 24).sum::<usize>();
        vecs(&self.q_post)
            + vecs(&self.a_post)
            + vecs(&self.b_post)
            + self.term_names.iter().map(|t| t.len() * 2 + 40).sum::<usize>()
            + self.bigram_ids.capacity() * 16
            + self.q_terms.iter().map(|t| t.len() * 4 + 16).sum::<usize>()
            + self.q_entry.capacity() * 10
            + self.e_id.capacity() * 11
    }
}

/// Number of inputs of the confidence calibration.
pub const CALIBRATION_INPUTS: usize = 11;

/// The calibration's weights, in the order of [`calibration_inputs_at`]: fitted
/// on the even-numbered half of `bench/qa/eval.jsonl` (`gongkai bench qa --fit`).
const CALIBRATION: [f32; CALIBRATION_INPUTS] = [
    -5.0833, 0.7923, 16.1361, 18.0213, -1.1004, 3.2242, 1.3040, 1.3736, 4.0108, -0.1579, -0.9912,
];

/// What the calibration reads of candidate `i` of a ranked list: a
/// constant, the re-ranked score, its lead over the second and over the third
/// candidate (each capped at [`MARGIN_CAP`], so a lone weak candidate in a
/// small library does not look certain; zero for all but the first), then
/// the features.
pub fn calibration_inputs_at(ranked: &[Candidate], i: usize) -> [f32; CALIBRATION_INPUTS] {
    let c = &ranked[i];
    let score = |k: usize| ranked.get(k).map_or(0.0, |c| c.score);
    let (lead, lead3) = if i == 0 {
        ((c.score - score(1)).min(MARGIN_CAP), (c.score - score(2)).min(MARGIN_CAP))
    } else {
        (0.0, 0.0)
    };
    let f = &c.features;
    [
        1.0,
        c.score,
        lead,
        lead3,
        f.query_coverage,
        f.question_coverage,
        f.bigram,
        f.union_coverage,
        f.chars,
        f.missing,
        f.recall,
    ]
}

impl Weights {
    /// The calibrated confidence of a candidate with these inputs.
    pub fn confidence(&self, inputs: &[f32; CALIBRATION_INPUTS]) -> f32 {
        sigmoid(self.calibration.iter().zip(inputs).map(|(c, x)| c * x).sum())
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, q: &str, a: &str) -> QaDoc {
        QaDoc {
            id,
            questions: vec![q.to_string()],
            answer: a.to_string(),
            auto_answer: true,
        }
    }

    fn library() -> QaIndex {
        let (syn, _) = SynonymTable::parse("社保 社会保险\n公积金 住房公积金\n老人 老年人 长者\n费用 钱");
        QaIndex::build(
            vec![
                doc(1, "如何申请敬老卡？", "年满65岁的市民可携带身份证到区公所申请敬老卡。"),
                doc(2, "住房公积金怎么提取？", "购房、租房、退休等情形可以提取住房公积金。"),
                QaDoc {
                    id: 3,
                    questions: vec!["社会保险如何缴纳？".into(), "社保断缴了怎么办".into()],
                    answer: "灵活就业人员可以到社保经办机构办理参保缴费。".into(),
                    auto_answer: false,
                },
                doc(4, "狂犬病疫苗接种费用是多少？", "每剂费用为新台币200元。"),
            ],
            &syn,
        )
    }

    #[test]
    fn finds_the_entry_through_synonyms_and_traditional_characters() {
        let ix = library();
        let r = ix.search("公積金要怎麼領出來", 3);
        assert_eq!(r.candidates[0].id, 2, "{r:?}");
        let r = ix.search("我想问社保断了", 3);
        assert_eq!(r.candidates[0].id, 3);
        assert_eq!(r.candidates[0].matched_question, 1);
        assert!(!r.candidates[0].auto_answer);
        let r = ix.search("老年人 敬老卡 申请", 3);
        assert_eq!(r.candidates[0].id, 1);
        assert!(
            r.candidates[0].matched_terms.contains(&"敬老".to_string()) || r.candidates[0].matched_terms.contains(&"敬老卡".to_string())
        );
    }

    #[test]
    fn confidence_is_higher_for_a_close_question_than_for_an_unrelated_one() {
        let ix = library();
        let close = ix.search("狂犬病疫苗接种要多少钱", 3);
        assert_eq!(close.candidates[0].id, 4);
        let far = ix.search("高考报名时间", 3);
        let far_conf = far.candidates.first().map_or(0.0, |c| c.confidence);
        assert!(close.candidates[0].confidence > 0.6, "{close:?}");
        assert!(far_conf < 0.3, "{far:?}");
    }

    #[test]
    fn empty_library_and_empty_query_find_nothing() {
        let ix = QaIndex::build(Vec::new(), &SynonymTable::default());
        assert!(ix.search("敬老卡", 5).candidates.is_empty());
        let ix = library();
        assert!(ix.search("？？ ！", 5).candidates.is_empty());
    }

    #[test]
    fn answer_terms_explain_matches_found_in_the_answer() {
        let ix = library();
        let r = ix.search("退休了能提取公积金吗", 3);
        assert_eq!(r.candidates[0].id, 2);
        assert!(r.candidates[0].answer_terms.contains(&"退休".to_string()), "{r:?}");
    }
}
