//! Chinese word segmentation for the index and for queries.
//!
//! jieba (`jieba-rs`, its dictionary compiled into the binary) in search mode,
//! plus a user dictionary of government terms (`dict/gov.txt`: 政务公开,
//! 依申请公开, 住房公积金, …). Before segmentation the text is folded
//! character by character — full-width letters, digits and punctuation to
//! half-width, ASCII to lower case — so that `ＡＢＣ１２` and `abc12` are one
//! term; offsets always refer to the original text, so snippets highlight
//! what the reader sees. Whitespace, punctuation and a short list of function
//! words (的, 了, 和, …) are not terms.
//!
//! Not for: query syntax (see [`crate::catalogue::plan_query`]) or ranking.

use jieba_rs::{Jieba, TokenizeMode};
use std::sync::LazyLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the tokenizer is registered under in every index.
pub const NAME: &str = "gongkai_jieba";

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    let mut dict = std::io::BufReader::new(include_str!("../dict/gov.txt").as_bytes());
    jieba.load_dict(&mut dict).expect("the bundled user dictionary parses");
    jieba
});

/// Loads the dictionaries now rather than on the first request (~0.2 s).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Single-character function words that carry no meaning in a query.
const STOP_WORDS: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "在", "是", "对", "于", "等", "之", "其", "把", "被", "我", "你", "他", "她", "它", "吗", "呢",
    "啊", "吧", "也", "都", "就", "而", "且", "以", "将", "请问", "怎么", "如何", "什么", "哪些", "哪里", "怎样", "一下",
];

fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Folds width and ASCII case, character for character (so character offsets
/// are unchanged).
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn is_term(word: &str) -> bool {
    word.chars().any(|c| c.is_alphanumeric()) && !STOP_WORDS.contains(&word)
}

/// One segment of a text: the folded word and its byte range in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub word: String,
    pub start: usize,
    pub end: usize,
    /// Character range, used to tell a compound word from the words inside it.
    pub char_start: usize,
    pub char_end: usize,
}

/// Segments `text` in search mode (long words also yield the dictionary words
/// inside them) and drops non-terms.
pub fn segment(text: &str) -> Vec<Segment> {
    let folded = fold(text);
    let same_bytes = folded.len() == text.len();
    // Byte offset in the original text of each character (and the end).
    let offsets: Vec<usize> = if same_bytes {
        Vec::new()
    } else {
        text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
    };
    JIEBA
        .tokenize(&folded, TokenizeMode::Search, false)
        .into_iter()
        .filter(|t| is_term(t.word))
        .map(|t| {
            let (start, end) = if same_bytes {
                (t.byte_start, t.byte_end)
            } else {
                (offsets[t.start], offsets[t.end])
            };
            Segment {
                word: t.word.to_string(),
                start,
                end,
                char_start: t.start,
                char_end: t.end,
            }
        })
        .collect()
}

/// The tantivy tokenizer over [`segment`].
#[derive(Clone, Default)]
pub struct GovTokenizer {
    token: Token,
}

pub struct GovTokenStream<'a> {
    segments: std::vec::IntoIter<Segment>,
    token: &'a mut Token,
    position: usize,
}

impl Tokenizer for GovTokenizer {
    type TokenStream<'a> = GovTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GovTokenStream<'a> {
        self.token.reset();
        GovTokenStream {
            segments: segment(text).into_iter(),
            token: &mut self.token,
            position: 0,
        }
    }
}

impl TokenStream for GovTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.segments.next() {
            Some(s) => {
                self.token.text.clear();
                self.token.text.push_str(&s.word);
                self.token.offset_from = s.start;
                self.token.offset_to = s.end;
                self.token.position = self.position;
                self.token.position_length = 1;
                self.position += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        segment(text).into_iter().map(|s| s.word).collect()
    }

    #[test]
    fn compound_words_also_yield_their_parts() {
        let w = words("政府信息公开");
        assert!(w.contains(&"信息".to_string()), "{w:?}");
        assert!(w.contains(&"公开".to_string()), "{w:?}");
        assert!(
            w.contains(&"信息公开".to_string()) || w.contains(&"政府信息公开".to_string()),
            "{w:?}"
        );
    }

    #[test]
    fn user_dictionary_terms_are_words() {
        assert!(words("申请住房公积金提取").contains(&"住房公积金".to_string()));
        assert!(words("依申请公开的办理").contains(&"依申请公开".to_string()));
    }

    #[test]
    fn punctuation_and_function_words_are_dropped() {
        let w = words("关于的，、。了 ！");
        assert_eq!(w, vec!["关于".to_string()]);
    }

    #[test]
    fn full_width_and_case_fold_with_original_offsets() {
        let text = "ＡＢＣ１２３号文件";
        let segs = segment(text);
        let first = &segs[0];
        assert_eq!(first.word, "abc123");
        assert_eq!(&text[first.start..first.end], "ＡＢＣ１２３");
        for s in &segs {
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
    }

    #[test]
    fn tantivy_stream_positions_increase() {
        let mut t = GovTokenizer::default();
        let mut stream = t.token_stream("巫山县人民政府办公室关于印发通知");
        let mut last = None;
        let mut n = 0;
        while stream.advance() {
            let p = stream.token().position;
            assert!(last.is_none_or(|l| p > l));
            last = Some(p);
            n += 1;
        }
        assert!(n >= 4);
    }
}
