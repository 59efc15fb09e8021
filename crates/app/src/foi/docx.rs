//! Letters (告知书) as Word documents, laid out as official letters are in
//! 党政机关公文格式 (GB/T 9704): title in 小标宋 二号 centred, number
//! right-aligned, body in 仿宋 三号 with a two-character first-line
//! indent, signature and date right-aligned. Written with `docx-rs`.

use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, SpecialIndentType};

/// What goes on the page.
pub struct LetterDoc<'a> {
    pub title: &'a str,
    pub number: &'a str,
    pub salutation: &'a str,
    pub paragraphs: Vec<&'a str>,
    pub signature: &'a str,
    pub date_zh: &'a str,
}

/// Half-points: 三号 = 16 pt, 二号 = 22 pt.
const SIZE_BODY: usize = 32;
const SIZE_TITLE: usize = 44;

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .size(size)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

/// The letter as `.docx` bytes.
pub fn render(doc: &LetterDoc<'_>) -> Result<Vec<u8>, docx_rs::DocxError> {
    let body = |text: &str| run(text, "仿宋_GB2312", SIZE_BODY);
    let mut d = Docx::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(run(doc.title, "方正小标宋简体", SIZE_TITLE))
                .align(AlignmentType::Center),
        )
        .add_paragraph(Paragraph::new().add_run(body(doc.number)).align(AlignmentType::Right))
        .add_paragraph(Paragraph::new())
        .add_paragraph(Paragraph::new().add_run(body(doc.salutation)));
    for p in &doc.paragraphs {
        d = d.add_paragraph(
            Paragraph::new()
                .add_run(body(p))
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None),
        );
    }
    d = d
        .add_paragraph(Paragraph::new())
        .add_paragraph(Paragraph::new().add_run(body(doc.signature)).align(AlignmentType::Right))
        .add_paragraph(Paragraph::new().add_run(body(doc.date_zh)).align(AlignmentType::Right));
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_letter_text_is_in_the_document() {
        let bytes = render(&LetterDoc {
            title: "政府信息公开申请答复告知书",
            number: "巫山府办公开〔2021〕第12号",
            salutation: "张三：",
            paragraphs: vec!["本机关于2021年9月24日收到您的申请。", "特此告知。"],
            signature: "巫山县人民政府办公室",
            date_zh: "2021年10月27日",
        })
        .unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
        for text in [
            "政府信息公开申请答复告知书",
            "张三：",
            "本机关于2021年9月24日收到您的申请。",
            "2021年10月27日",
        ] {
            assert!(xml.contains(text), "{text} missing");
        }
        assert!(xml.find("张三：").unwrap() < xml.find("特此告知。").unwrap());
    }
}
