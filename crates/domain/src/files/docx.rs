//! Word documents (WordprocessingML, ECMA-376 Part 1 §17): comments,
//! unaccepted tracked changes, hidden text and embedded files; and the text.

use super::package::{Package, XmlEvent, attr, walk, xml_bool};
use super::{FileError, HiddenFinding, HiddenKind, Inspection};
use std::collections::HashMap;

/// Elements that record a tracked insertion (§17.13.5).
const INSERTIONS: [&str; 3] = ["ins", "moveTo", "cellIns"];
/// Elements that record a tracked deletion.
const DELETIONS: [&str; 3] = ["del", "moveFrom", "cellDel"];
/// Elements that record a tracked formatting change.
const FORMAT_CHANGES: [&str; 8] = [
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "tblGridChange",
    "numberingChange",
];
/// How much of the first hidden run a finding quotes.
const SAMPLE_CHARS: usize = 20;

pub(super) fn inspect(package: &mut Package<'_>) -> Result<Inspection, FileError> {
    let styles = match package.read_xml("word/styles.xml")? {
        Some(xml) => HiddenStyles::parse("word/styles.xml", &xml)?,
        None => HiddenStyles::default(),
    };

    // The body first, then the other stories, grouped by where a reader finds them.
    let names: Vec<String> = package.names().to_vec();
    let mut stories: Vec<(&str, String)> = vec![("正文", "word/document.xml".to_string())];
    for name in &names {
        if let Some(label) = story_label(name) {
            stories.push((label, name.clone()));
        }
    }

    let mut findings = Vec::new();
    let mut totals: Vec<(&str, StoryScan)> = Vec::new();
    let mut text = String::new();
    for (label, part) in &stories {
        let xml = if *label == "正文" {
            package.require_xml(part)?
        } else {
            package.read_xml(part)?.unwrap_or_default()
        };
        if xml.is_empty() {
            continue;
        }
        let scan = scan_story(part, &xml, &styles)?;
        let trimmed = scan.text.trim_end();
        if !trimmed.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(trimmed);
            text.push('\n');
        }
        match totals.iter_mut().find(|(l, _)| l == label) {
            Some((_, total)) => total.add(scan),
            None => totals.push((label, scan)),
        }
    }
    for (label, scan) in &totals {
        let mut changes = Vec::new();
        if scan.insertions > 0 {
            changes.push(format!("插入{}处", scan.insertions));
        }
        if scan.deletions > 0 {
            changes.push(format!("删除{}处", scan.deletions));
        }
        if scan.format_changes > 0 {
            changes.push(format!("格式修改{}处", scan.format_changes));
        }
        if !changes.is_empty() {
            findings.push(HiddenFinding::new(
                HiddenKind::TrackedChanges,
                *label,
                format!("{}；请在 Word 中“接受所有修订”或“拒绝所有修订”后再上传", changes.join("、")),
            ));
        }
        if scan.hidden_runs > 0 {
            findings.push(HiddenFinding::new(
                HiddenKind::HiddenText,
                *label,
                format!(
                    "共{}处，例如“{}”",
                    scan.hidden_runs,
                    scan.hidden_sample.as_deref().unwrap_or_default()
                ),
            ));
        }
    }

    if let Some(xml) = package.read_xml("word/comments.xml")? {
        let (count, words) = scan_comments("word/comments.xml", &xml, &styles)?;
        if count > 0 {
            findings.push(HiddenFinding::new(HiddenKind::Comments, "文档", format!("共{count}条")));
        }
        if !words.trim().is_empty() {
            text.push_str(words.trim_end());
            text.push('\n');
        }
    }

    let embedded: Vec<&str> = names
        .iter()
        .filter(|n| n.to_lowercase().starts_with("word/embeddings/") && !n.ends_with('/'))
        .map(String::as_str)
        .collect();
    if !embedded.is_empty() {
        findings.push(HiddenFinding::new(
            HiddenKind::EmbeddedObjects,
            "文档",
            describe_embedded(&embedded),
        ));
    }

    Ok(Inspection {
        findings,
        text: Some(text.trim_end().to_string()),
        properties: None,
    })
}

/// `共2个：a.xlsx、b.bin；…` for files in an `embeddings/` folder.
pub(super) fn describe_embedded(parts: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut files: Vec<&str> = parts.iter().take(SHOWN).map(|p| p.rsplit('/').next().unwrap_or(p)).collect();
    if parts.len() > SHOWN {
        files.push("等");
    }
    format!(
        "共{}个（{}）；读者可以打开这些文件，例如图表背后的完整 Excel 数据，请确认其中没有不应公开的内容，或删除后重新上传",
        parts.len(),
        files.join("、")
    )
}

fn story_label(part: &str) -> Option<&'static str> {
    let file = part.strip_prefix("word/")?.to_lowercase();
    if file.contains('/') || !file.ends_with(".xml") {
        return None;
    }
    let stem = &file[..file.len() - 4];
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix)
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
    };
    if numbered("header") {
        Some("页眉")
    } else if numbered("footer") {
        Some("页脚")
    } else if stem == "footnotes" {
        Some("脚注")
    } else if stem == "endnotes" {
        Some("尾注")
    } else {
        None
    }
}

/// Which styles hide their text (`w:vanish` in the style's run properties,
/// directly or through `w:basedOn`).
#[derive(Default)]
struct HiddenStyles {
    /// Style id → (own vanish setting, based-on style id).
    styles: HashMap<String, (Option<bool>, Option<String>)>,
}

impl HiddenStyles {
    fn parse(part: &str, xml: &str) -> Result<HiddenStyles, FileError> {
        let mut styles = HashMap::new();
        let mut stack: Vec<String> = Vec::new();
        let mut current: Option<(String, Option<bool>, Option<String>)> = None;
        walk(part, xml, |event| {
            match event {
                XmlEvent::Open { name, element } => {
                    let parent = stack.last().map(String::as_str);
                    let grandparent = stack.len().checked_sub(2).map(|i| stack[i].as_str());
                    match (name, parent, grandparent) {
                        ("style", _, _) => current = Some((attr(element, "styleId")?.unwrap_or_default(), None, None)),
                        ("basedOn", Some("style"), _) => {
                            if let Some(style) = current.as_mut() {
                                style.2 = attr(element, "val")?;
                            }
                        }
                        ("vanish", Some("rPr"), Some("style")) => {
                            if let Some(style) = current.as_mut() {
                                style.1 = Some(attr(element, "val")?.as_deref().map_or(Some(true), xml_bool).unwrap_or(false));
                            }
                        }
                        _ => {}
                    }
                    stack.push(name.to_string());
                }
                XmlEvent::Close { name } => {
                    stack.pop();
                    if name == "style"
                        && let Some((id, vanish, based_on)) = current.take()
                    {
                        styles.insert(id, (vanish, based_on));
                    }
                }
                XmlEvent::Text(_) => {}
            }
            Ok(())
        })?;
        Ok(HiddenStyles { styles })
    }

    fn hides(&self, style: Option<&str>) -> bool {
        let mut current = style;
        for _ in 0..32 {
            let Some((vanish, based_on)) = current.and_then(|id| self.styles.get(id)) else {
                return false;
            };
            if let Some(vanish) = vanish {
                return *vanish;
            }
            current = based_on.as_deref();
        }
        false
    }
}

#[derive(Default)]
struct StoryScan {
    insertions: usize,
    deletions: usize,
    format_changes: usize,
    hidden_runs: usize,
    hidden_sample: Option<String>,
    text: String,
}

impl StoryScan {
    fn add(&mut self, other: StoryScan) {
        self.insertions += other.insertions;
        self.deletions += other.deletions;
        self.format_changes += other.format_changes;
        self.hidden_runs += other.hidden_runs;
        if self.hidden_sample.is_none() {
            self.hidden_sample = other.hidden_sample;
        }
    }
}

#[derive(Default)]
struct Run {
    /// `w:vanish` in the run's own properties, if present.
    vanish: Option<bool>,
    style: Option<String>,
    /// Already counted as a hidden run.
    counted: bool,
}

/// Scans one story part (body, header, footer, notes).
fn scan_story(part: &str, xml: &str, styles: &HiddenStyles) -> Result<StoryScan, FileError> {
    let mut scan = StoryScan::default();
    let mut stack: Vec<String> = Vec::new();
    // Depth of an `mc:Fallback` being skipped: it repeats the `mc:Choice` content.
    let mut skipping: Option<usize> = None;
    let mut paragraph_styles: Vec<Option<String>> = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut in_text = false;
    walk(part, xml, |event| {
        match event {
            XmlEvent::Open { name, element } => {
                let depth = stack.len();
                let parent = stack.last().map(String::as_str);
                let grandparent = depth.checked_sub(2).map(|i| stack[i].as_str());
                if skipping.is_none() {
                    if name == "Fallback" {
                        skipping = Some(depth);
                    } else if INSERTIONS.contains(&name) {
                        scan.insertions += 1;
                    } else if DELETIONS.contains(&name) {
                        scan.deletions += 1;
                    } else if FORMAT_CHANGES.contains(&name) {
                        scan.format_changes += 1;
                    } else {
                        match (name, parent, grandparent) {
                            ("p", _, _) => paragraph_styles.push(None),
                            ("pStyle", Some("pPr"), _) => {
                                if let Some(style) = paragraph_styles.last_mut() {
                                    *style = attr(element, "val")?;
                                }
                            }
                            ("r", _, _) => runs.push(Run::default()),
                            ("vanish", Some("rPr"), Some("r")) => {
                                if let Some(run) = runs.last_mut() {
                                    run.vanish = Some(attr(element, "val")?.as_deref().map_or(Some(true), xml_bool).unwrap_or(false));
                                }
                            }
                            ("rStyle", Some("rPr"), Some("r")) => {
                                if let Some(run) = runs.last_mut() {
                                    run.style = attr(element, "val")?;
                                }
                            }
                            ("t" | "delText", _, _) => in_text = true,
                            ("tab", Some("r"), _) => scan.text.push('\t'),
                            ("br" | "cr", Some("r"), _) => scan.text.push('\n'),
                            _ => {}
                        }
                    }
                }
                stack.push(name.to_string());
            }
            XmlEvent::Close { name } => {
                stack.pop();
                match skipping {
                    Some(depth) if depth == stack.len() => skipping = None,
                    Some(_) => {}
                    None => match name {
                        "p" => {
                            paragraph_styles.pop();
                            scan.text.push('\n');
                        }
                        "r" => {
                            runs.pop();
                        }
                        "t" | "delText" => in_text = false,
                        _ => {}
                    },
                }
            }
            XmlEvent::Text(s) if in_text && skipping.is_none() => {
                scan.text.push_str(s);
                if let Some(run) = runs.last_mut()
                    && !run.counted
                    && !s.trim().is_empty()
                {
                    let paragraph_style = paragraph_styles.last().cloned().flatten();
                    let hidden = run
                        .vanish
                        .unwrap_or_else(|| styles.hides(run.style.as_deref()) || styles.hides(paragraph_style.as_deref()));
                    if hidden {
                        run.counted = true;
                        scan.hidden_runs += 1;
                        if scan.hidden_sample.is_none() {
                            scan.hidden_sample = Some(s.trim().chars().take(SAMPLE_CHARS).collect());
                        }
                    }
                }
            }
            XmlEvent::Text(_) => {}
        }
        Ok(())
    })?;
    Ok(scan)
}

/// Counts `<w:comment>` elements and collects their text.
fn scan_comments(part: &str, xml: &str, styles: &HiddenStyles) -> Result<(usize, String), FileError> {
    let mut count = 0usize;
    walk(part, xml, |event| {
        if let XmlEvent::Open { name: "comment", .. } = event {
            count += 1;
        }
        Ok(())
    })?;
    let text = scan_story(part, xml, styles)?.text;
    Ok((count, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(body: &str) -> StoryScan {
        scan_with_styles(body, &HiddenStyles::default())
    }

    fn scan_with_styles(body: &str, styles: &HiddenStyles) -> StoryScan {
        let xml = format!(r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>{body}</w:body></w:document>"#);
        scan_story("word/document.xml", &xml, styles).unwrap()
    }

    #[test]
    fn table_borders_are_not_insertions() {
        let s = scan(
            r#"<w:tbl><w:tblPr><w:tblBorders><w:insideH w:val="single"/><w:insideV w:val="single"/></w:tblBorders></w:tblPr>
               <w:tr><w:tc><w:p><w:r><w:t>单元格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!((s.insertions, s.deletions, s.format_changes, s.hidden_runs), (0, 0, 0, 0));
        assert_eq!(s.text, "单元格\n");
    }

    #[test]
    fn tracked_changes_are_counted_and_deleted_text_kept() {
        let s = scan(
            r#"<w:p><w:ins w:id="1" w:author="a"><w:r><w:t>新</w:t></w:r></w:ins><w:del w:id="2" w:author="a"><w:r><w:delText>旧</w:delText></w:r></w:del>
               <w:r><w:rPr><w:b/><w:rPrChange w:id="3" w:author="a"><w:rPr/></w:rPrChange></w:rPr><w:t>粗</w:t></w:r></w:p>"#,
        );
        assert_eq!((s.insertions, s.deletions, s.format_changes), (1, 1, 1));
        assert_eq!(s.text, "新旧粗\n");
    }

    #[test]
    fn hidden_text_needs_vanish_on_a_run_with_text() {
        let s = scan(
            r#"<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>段落标记隐藏，文字可见</w:t></w:r></w:p>
               <w:p><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显式不隐藏</w:t></w:r><w:r><w:rPr><w:webHidden/></w:rPr><w:t>3</w:t></w:r></w:p>
               <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> </w:t></w:r></w:p>"#,
        );
        assert_eq!(s.hidden_runs, 0);
        let s = scan(r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>内部意见：</w:t><w:t>暂缓</w:t></w:r><w:r><w:t>公开</w:t></w:r></w:p>"#);
        assert_eq!(s.hidden_runs, 1);
        assert_eq!(s.hidden_sample.as_deref(), Some("内部意见："));
    }

    #[test]
    fn hidden_text_through_styles() {
        let styles = HiddenStyles::parse(
            "styles.xml",
            r#"<w:styles xmlns:w="w"><w:style w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>
               <w:style w:styleId="MoreSecret"><w:basedOn w:val="Secret"/></w:style>
               <w:style w:styleId="Shown"><w:basedOn w:val="Secret"/><w:rPr><w:vanish w:val="false"/></w:rPr></w:style></w:styles>"#,
        )
        .unwrap();
        assert!(styles.hides(Some("MoreSecret")));
        assert!(!styles.hides(Some("Shown")));
        assert!(!styles.hides(Some("Missing")));
        let s = scan_with_styles(
            r#"<w:p><w:pPr><w:pStyle w:val="MoreSecret"/></w:pPr><w:r><w:t>藏</w:t></w:r></w:p>"#,
            &styles,
        );
        assert_eq!(s.hidden_runs, 1);
        let s = scan_with_styles(
            r#"<w:p><w:r><w:rPr><w:rStyle w:val="Shown"/></w:rPr><w:t>显</w:t></w:r></w:p>"#,
            &styles,
        );
        assert_eq!(s.hidden_runs, 0);
    }

    #[test]
    fn fallback_content_is_not_counted_twice() {
        let s = scan(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:ins w:id="1"><w:r><w:t>框</w:t></w:r></w:ins></w:p></w:txbxContent></mc:Choice>
               <mc:Fallback><w:txbxContent><w:p><w:ins w:id="2"><w:r><w:t>框</w:t></w:r></w:ins></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        );
        assert_eq!(s.insertions, 1);
        assert_eq!(s.text, "框\n\n");
    }

    #[test]
    fn tabs_and_breaks_only_inside_runs() {
        let s = scan(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p>"#,
        );
        assert_eq!(s.text, "甲\t乙\n丙\n");
    }

    #[test]
    fn story_labels() {
        assert_eq!(story_label("word/header1.xml"), Some("页眉"));
        assert_eq!(story_label("word/footer12.xml"), Some("页脚"));
        assert_eq!(story_label("word/footnotes.xml"), Some("脚注"));
        assert_eq!(story_label("word/endnotes.xml"), Some("尾注"));
        assert_eq!(story_label("word/headerX.xml"), None);
        assert_eq!(story_label("word/document.xml"), None);
        assert_eq!(story_label("word/_rels/header1.xml.rels"), None);
    }
}
