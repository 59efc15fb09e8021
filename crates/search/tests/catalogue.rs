//! The catalogue index end to end: indexing, word handling, 文号, filters,
//! sorting, snippets, updates and deletions, watermark and reopening.

use chrono::NaiveDate;
use gongkai_search::catalogue::{CatalogueIndex, IndexDoc, SearchRequest, Sort, plan_query};

fn doc(id: i64, title: &str, body: &str) -> IndexDoc {
    IndexDoc {
        id,
        site_id: 1,
        unit_id: 10,
        column_id: 100,
        kind: "document".into(),
        validity: "in_force".into(),
        published_on: NaiveDate::from_ymd_opt(2021, 1, 1 + (id as u32 % 28)),
        title: title.into(),
        doc_no: None,
        issuer: String::new(),
        body: body.into(),
        attachments: String::new(),
    }
}

fn index_with(docs: &[IndexDoc]) -> CatalogueIndex {
    let index = CatalogueIndex::in_ram().unwrap();
    index
        .with_writer(50_000_000, |b| {
            for d in docs {
                b.upsert(d)?;
            }
            b.commit(Some("2021-01-01T00:00:00.000000Z"))
        })
        .unwrap();
    index.reload().unwrap();
    index
}

fn ids(index: &CatalogueIndex, text: &str) -> Vec<i64> {
    search(
        index,
        SearchRequest {
            site_id: 1,
            text: text.into(),
            limit: 10,
            ..Default::default()
        },
    )
}

fn search(index: &CatalogueIndex, req: SearchRequest) -> Vec<i64> {
    index.search(&req).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn split_words_match_apart_and_together_ranks_higher() {
    let index = index_with(&[
        doc(1, "关于做好政府信息公开工作的通知", "全面推进政府信息公开。"),
        doc(2, "统计信息报送办法", "各单位应按时报送统计信息，报表依法向社会公开。"),
        doc(3, "安全生产检查通知", "开展安全生产大检查。"),
    ]);
    let found = ids(&index, "信息公开");
    assert_eq!(found.first(), Some(&1), "{found:?}");
    assert!(found.contains(&2), "信息 and 公开 apart must match: {found:?}");
    assert!(!found.contains(&3));
}

#[test]
fn exact_doc_no_comes_first_in_any_bracket_style() {
    let mut a = doc(
        1,
        "巫山县人民政府办公室关于印发政务公开工作要点的通知",
        "巫山府办发〔2021〕47号文件的补充。",
    );
    a.doc_no = Some("巫山府办发〔2021〕47号".into());
    let mut b = doc(2, "巫山县人民政府办公室关于印发2021年政务公开工作要点的通知", "政务公开");
    b.doc_no = Some("巫山府办发〔2021〕48号".into());
    let mut c = doc(3, "另一个通知", "引用了巫山府办发〔2021〕48号的规定。");
    c.doc_no = Some("巫山府办发〔2020〕48号".into());
    let index = index_with(&[a, b, c]);
    assert_eq!(ids(&index, "巫山府办发〔2021〕48号").first(), Some(&2));
    assert_eq!(ids(&index, "巫山府办发[2021]48号").first(), Some(&2));
    assert_eq!(ids(&index, " 巫山府办发（2021）48号 ").first(), Some(&2));
}

#[test]
fn plan_separates_required_words_from_compounds() {
    let plan = plan_query("信息公开");
    assert!(plan.required.contains(&"信息".to_string()), "{plan:?}");
    assert!(plan.required.contains(&"公开".to_string()), "{plan:?}");
    assert!(plan.optional.contains(&"信息公开".to_string()), "{plan:?}");
    assert!(plan.doc_no.is_none());
    assert!(plan_query("，。！的").is_empty());
}

#[test]
fn relaxes_when_not_every_word_matches() {
    let index = index_with(&[
        doc(1, "住房公积金提取办法", "职工提取住房公积金的条件。"),
        doc(2, "养老保险", "城乡居民养老保险。"),
    ]);
    let r = index
        .search(&SearchRequest {
            site_id: 1,
            text: "住房公积金 提取 火星".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(r.relaxed);
    assert_eq!(r.hits.first().map(|h| h.id), Some(1));
    assert!(ids(&index, "火星 月球").is_empty());
}

#[test]
fn filters_by_site_unit_column_year_validity_and_kind() {
    let mut docs = Vec::new();
    for i in 1..=8 {
        let mut d = doc(i, "乡村振兴实施方案", "推进乡村振兴。");
        d.site_id = if i == 8 { 2 } else { 1 };
        d.unit_id = if i % 2 == 0 { 20 } else { 10 };
        d.column_id = if i <= 4 { 100 } else { 200 };
        d.published_on = NaiveDate::from_ymd_opt(2018 + i as i32, 3, 1);
        d.validity = if i == 3 { "repealed".into() } else { "in_force".into() };
        d.kind = if i == 5 { "interpretation-text".into() } else { "document".into() };
        docs.push(d);
    }
    let index = index_with(&docs);
    let base = SearchRequest {
        site_id: 1,
        text: "乡村振兴".into(),
        limit: 20,
        ..Default::default()
    };
    let mut all = search(&index, base.clone());
    all.sort();
    assert_eq!(all, vec![1, 2, 3, 4, 5, 6, 7]);
    let mut by_unit = search(
        &index,
        SearchRequest {
            unit_ids: vec![20],
            ..base.clone()
        },
    );
    by_unit.sort();
    assert_eq!(by_unit, vec![2, 4, 6]);
    let mut by_col = search(
        &index,
        SearchRequest {
            column_ids: vec![200],
            ..base.clone()
        },
    );
    by_col.sort();
    assert_eq!(by_col, vec![5, 6, 7]);
    assert_eq!(
        search(
            &index,
            SearchRequest {
                year: Some(2021),
                ..base.clone()
            }
        ),
        vec![3]
    );
    assert_eq!(
        search(
            &index,
            SearchRequest {
                validity: Some("repealed".into()),
                ..base.clone()
            }
        ),
        vec![3]
    );
    assert_eq!(
        search(
            &index,
            SearchRequest {
                kind: Some("interpretation".into()),
                ..base.clone()
            }
        ),
        vec![5]
    );
    // Date sort: newest first.
    assert_eq!(
        search(
            &index,
            SearchRequest {
                sort: Sort::Date,
                ..base.clone()
            }
        ),
        vec![7, 6, 5, 4, 3, 2, 1]
    );
    // No words but a filter: the filtered list by date.
    assert_eq!(
        search(
            &index,
            SearchRequest {
                text: String::new(),
                year: Some(2020),
                ..base.clone()
            }
        ),
        vec![2]
    );
    // Paging.
    let page2 = search(
        &index,
        SearchRequest {
            sort: Sort::Date,
            offset: 5,
            limit: 5,
            ..base
        },
    );
    assert_eq!(page2, vec![2, 1]);
}

#[test]
fn attachments_and_issuer_are_searched_title_weighs_more() {
    let mut a = doc(1, "一般通知", "正文无关。");
    a.attachments = "附件：高标准农田建设项目清单".into();
    let b = doc(2, "高标准农田建设实施意见", "正文。");
    let index = index_with(&[a, b]);
    assert_eq!(ids(&index, "高标准农田"), vec![2, 1]);
}

#[test]
fn words_are_found_across_title_doc_no_issuer_body_and_attachments_together() {
    // Each word of the query sits in another part of the same document.
    let mut a = doc(1, "耕地保护实施方案", "正文写明补贴资金的发放。");
    a.doc_no = Some("巫山府办发〔2021〕48号".into());
    a.issuer = "巫山县人民政府办公室".into();
    a.attachments = "附件：高标准农田清单".into();
    let b = doc(2, "耕地保护实施方案", "正文。");
    let index = index_with(&[a, b]);
    assert_eq!(ids(&index, "耕地 补贴资金 高标准农田"), vec![1]);
    assert_eq!(ids(&index, "府办发 办公室 耕地"), vec![1]);
    // A word in the title only ranks a document above one with it in the body only.
    let c = doc(3, "一般事项通知", "正文提到补贴资金一次。");
    let d = doc(4, "补贴资金管理办法", "正文。");
    let index = index_with(&[c, d]);
    assert_eq!(ids(&index, "补贴资金"), vec![4, 3]);
}

#[test]
fn updates_replace_and_deletes_remove() {
    let index = index_with(&[doc(1, "河长制方案", "全面推行河长制"), doc(2, "林长制", "林长制内容")]);
    index
        .with_writer(50_000_000, |b| {
            b.upsert(&doc(1, "新标题营商环境", "优化营商环境"))?;
            b.delete(2);
            b.commit(Some("2021-02-01T00:00:00.000000Z"))
        })
        .unwrap();
    index.reload().unwrap();
    assert!(ids(&index, "河长制").is_empty());
    assert_eq!(ids(&index, "营商环境"), vec![1]);
    assert!(ids(&index, "林长制").is_empty());
    assert_eq!(index.num_docs(), 1);
    assert_eq!(index.watermark().as_deref(), Some("2021-02-01T00:00:00.000000Z"));
}

#[test]
fn snippets_mark_words_in_the_original_text_and_escape_html() {
    let index = index_with(&[doc(
        1,
        "关于推进政务公开的通知",
        "一、总体要求。<b>为</b>进一步推进政务公开标准化规范化，提升政务服务水平。",
    )]);
    let r = index
        .search(&SearchRequest {
            site_id: 1,
            text: "政务公开".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let s = r.snippet("一、总体要求。<b>为</b>进一步推进政务公开标准化规范化，提升政务服务水平。");
    assert!(s.matched);
    assert!(s.html.contains("<mark>政务"), "{}", s.html);
    assert!(s.html.contains("&lt;b&gt;"), "{}", s.html);
    assert!(!s.html.contains("<b>"));
    let t = r.highlight_title("关于推进政务公开的通知");
    assert!(t.contains("<mark>"), "{t}");
    assert!(t.starts_with("关于推进"), "{t}");
    let none = r.snippet("完全无关的文字");
    assert!(!none.matched);
    assert_eq!(none.html, "完全无关的文字");
}

#[test]
fn reopening_keeps_documents_and_watermark_and_a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = CatalogueIndex::open(dir.path()).unwrap();
        assert_eq!(index.watermark(), None);
        index
            .with_writer(20_000_000, |b| {
                b.upsert(&doc(1, "河长制工作方案", "全面推行河长制"))?;
                b.commit(Some("2022-01-01T00:00:00.000000Z"))
            })
            .unwrap();
        let other = CatalogueIndex::open(dir.path()).unwrap();
        let refused = other.with_writer(20_000_000, |_| Ok(()));
        assert!(
            matches!(refused, Err(gongkai_search::catalogue::SearchError::Locked)),
            "{refused:?}"
        );
        index.close_writer().unwrap();
    }
    let index = CatalogueIndex::open(dir.path()).unwrap();
    assert_eq!(index.watermark().as_deref(), Some("2022-01-01T00:00:00.000000Z"));
    assert_eq!(ids(&index, "河长制"), vec![1]);
    assert!(index.size_on_disk() > 0);
}

#[test]
fn totals_of_large_indexes_are_estimated_from_a_sample_of_segments() {
    let mut index = CatalogueIndex::in_ram().unwrap();
    for batch in 0..4 {
        index
            .with_writer(50_000_000, |b| {
                for i in 0..100 {
                    let id = batch * 100 + i + 1;
                    let body = if id % 2 == 0 { "安全生产检查" } else { "安全生产培训" };
                    b.upsert(&doc(id, "通知", body))?;
                }
                b.commit(Some("2021-01-01T00:00:00.000000Z"))
            })
            .unwrap();
    }
    index.reload().unwrap();
    let req = SearchRequest {
        site_id: 1,
        text: "安全生产".into(),
        limit: 10,
        ..Default::default()
    };
    let exact = index.search(&req).unwrap();
    assert_eq!((exact.total, exact.total_estimated), (400, false));
    index.set_count_sample(150);
    let r = index.search(&req).unwrap();
    assert!(r.total_estimated);
    assert!((300..=500).contains(&r.total), "{}", r.total);
    let half = index
        .search(&SearchRequest {
            text: "检查".into(),
            ..req
        })
        .unwrap();
    assert!(half.total_estimated);
    assert!((120..=280).contains(&half.total), "{}", half.total);
    assert_eq!(half.hits.len(), 10);
}

#[test]
fn snippets_of_overlapping_words_never_panic() {
    let body = "保险和参保人员，切实提高养老保险工作水平。\n第六条　坚持以人民为中心，落实参保人员和缴费基数，切实提高失业保险工作水平。\n第七条　要加大养老保险政策宣传力度，通过政府网站、政务新媒体等渠道及时发布。";
    let index = index_with(&[doc(1, "养老保险管理办法", body)]);
    for q in ["养老保险", "安全生产 检查", "养老 保险 养老保险", "失业保险 参保人员 缴费基数"] {
        let r = index
            .search(&SearchRequest {
                site_id: 1,
                text: q.into(),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        let s = r.snippet(body);
        assert!(!s.html.contains("<mark></mark>"), "{}", s.html);
        let _ = r.highlight_title("养老保险管理办法");
    }
}
