//! Pictures, video and PDF: can a browser or reader show them, and is the
//! PDF encrypted. Byte-level walks only; nothing is decoded.

use super::{FileKind, HiddenFinding, HiddenKind, Inspection, MAX_IMAGE_SIDE, Properties};

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn be_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn find_all<'h>(haystack: &'h [u8], needle: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(move |(_, window)| *window == needle)
        .map(|(i, _)| i)
}

// ---------------------------------------------------------------- pictures

pub(super) fn inspect_image(kind: FileKind, bytes: &[u8]) -> Inspection {
    const LOCATION: &str = "图片";
    let mut findings = Vec::new();
    let mut properties = None;
    match imagesize::blob_size(bytes) {
        Ok(size) => {
            let (width, height) = (size.width as u64, size.height as u64);
            if width == 0 || height == 0 {
                findings.push(HiddenFinding::new(
                    HiddenKind::Undisplayable,
                    LOCATION,
                    format!("图片尺寸为 {width}×{height} 像素，无法显示"),
                ));
            } else if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
                findings.push(HiddenFinding::new(
                    HiddenKind::Undisplayable,
                    LOCATION,
                    format!("图片尺寸 {width}×{height} 像素过大（每边不超过 {MAX_IMAGE_SIDE} 像素），浏览器可能无法显示，请缩小后再上传"),
                ));
            }
            properties = Some(Properties::Image { width, height });
        }
        Err(_) => findings.push(HiddenFinding::new(
            HiddenKind::Undisplayable,
            LOCATION,
            "无法读取图片尺寸，文件可能已损坏",
        )),
    }
    let complete = match kind {
        FileKind::Jpeg => jpeg_complete(bytes),
        _ => png_complete(bytes),
    };
    if let Err(detail) = complete {
        findings.push(HiddenFinding::new(HiddenKind::Undisplayable, LOCATION, detail));
    }
    Inspection {
        findings,
        text: None,
        properties,
    }
}

/// Walks JPEG segments from SOI to EOI (`FF D9`), skipping entropy-coded
/// data, so data appended after EOI (phone makers' trailers) is not mistaken
/// for damage while a file cut short is caught. Stray bytes between segments
/// are skipped as decoders do.
fn jpeg_complete(bytes: &[u8]) -> Result<(), &'static str> {
    const TRUNCATED: &str = "JPEG 文件不完整：没有图像结束标记（FF D9），文件可能在上传或复制时被截断";
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("不是有效的 JPEG 文件");
    }
    let mut pos = 2usize;
    loop {
        // Find the next marker: skip stray bytes, then fill bytes (FF FF …).
        while pos < bytes.len() && bytes[pos] != 0xFF {
            pos += 1;
        }
        while pos < bytes.len() && bytes[pos] == 0xFF {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return Err(TRUNCATED);
        };
        pos += 1;
        match marker {
            0xD9 => return Ok(()),
            0x00 | 0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let Some(length) = bytes.get(pos..pos + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize) else {
            return Err(TRUNCATED);
        };
        if length < 2 {
            return Err("JPEG 文件结构损坏（段长度无效）");
        }
        pos += length;
        if pos > bytes.len() {
            return Err(TRUNCATED);
        }
        if marker == 0xDA {
            // Entropy-coded data runs to the next marker other than a stuffed
            // zero (FF 00) or a restart marker (FF D0–D7).
            loop {
                match bytes.get(pos..pos + 2) {
                    None => return Err(TRUNCATED),
                    Some([0xFF, next]) if *next != 0x00 && !(0xD0..=0xD7).contains(next) => break,
                    Some(_) => pos += 1,
                }
            }
        }
    }
}

/// Walks PNG chunks to `IEND`.
fn png_complete(bytes: &[u8]) -> Result<(), &'static str> {
    const TRUNCATED: &str = "PNG 文件不完整：没有结束块（IEND），文件可能在上传或复制时被截断";
    let mut pos = 8usize;
    loop {
        let (Some(length), Some(chunk_type)) = (be_u32(bytes, pos), bytes.get(pos + 4..pos + 8)) else {
            return Err(TRUNCATED);
        };
        if length > i32::MAX as u32 {
            return Err("PNG 文件结构损坏（块长度无效）");
        }
        let end = pos + 12 + length as usize;
        if end > bytes.len() {
            return Err(TRUNCATED);
        }
        if chunk_type == b"IEND" {
            return Ok(());
        }
        pos = end;
    }
}

// ---------------------------------------------------------------- MP4

/// Brands of still-image formats that share the ISO box structure (HEIF, AVIF).
const IMAGE_BRANDS: [&[u8; 4]; 6] = [b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"];

/// An `ftyp` box at offset 4 with a plausible size, not a still-image brand.
pub(super) fn is_mp4(bytes: &[u8]) -> bool {
    let (Some(size), Some(b"ftyp"), Some(brand)) = (be_u32(bytes, 0), bytes.get(4..8), bytes.get(8..12)) else {
        return false;
    };
    (size == 1 || size >= 12) && !IMAGE_BRANDS.iter().any(|image| image.as_slice() == brand)
}

struct Mp4Box {
    kind: [u8; 4],
    /// Start of the payload.
    body: usize,
    end: usize,
}

enum BoxWalkEnd {
    Complete,
    /// A box claims more bytes than remain (or fewer than its header).
    Truncated {
        kind: [u8; 4],
        declared: u64,
    },
    Malformed,
}

/// The boxes in `bytes[start..end]`, and how the walk ended.
fn walk_boxes(bytes: &[u8], start: usize, end: usize) -> (Vec<Mp4Box>, BoxWalkEnd) {
    let mut boxes = Vec::new();
    let mut pos = start;
    while pos < end {
        let (Some(size32), Some(kind)) = (be_u32(bytes, pos), bytes.get(pos + 4..pos + 8)) else {
            return (boxes, BoxWalkEnd::Malformed);
        };
        let kind: [u8; 4] = [kind[0], kind[1], kind[2], kind[3]];
        let (size, header) = match size32 {
            0 => ((end - pos) as u64, 8u64),
            1 => match be_u64(bytes, pos + 8) {
                Some(size) => (size, 16),
                None => return (boxes, BoxWalkEnd::Truncated { kind, declared: 16 }),
            },
            n => (n as u64, 8),
        };
        if size < header {
            return (boxes, BoxWalkEnd::Malformed);
        }
        if size > (end - pos) as u64 {
            return (boxes, BoxWalkEnd::Truncated { kind, declared: size });
        }
        let box_end = pos + size as usize;
        boxes.push(Mp4Box {
            kind,
            body: pos + header as usize,
            end: box_end,
        });
        pos = box_end;
    }
    (boxes, BoxWalkEnd::Complete)
}

fn fourcc(code: &[u8]) -> String {
    code.iter()
        .map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' })
        .collect()
}

pub(super) fn inspect_mp4(bytes: &[u8]) -> Inspection {
    const LOCATION: &str = "视频";
    let (boxes, walk_end) = walk_boxes(bytes, 0, bytes.len());
    let mut findings = Vec::new();
    let first_is_ftyp = boxes.first().is_some_and(|b| &b.kind == b"ftyp");
    let moov = boxes.iter().position(|b| &b.kind == b"moov");
    let mdat = boxes.iter().position(|b| &b.kind == b"mdat");
    let truncated = match &walk_end {
        BoxWalkEnd::Complete => None,
        BoxWalkEnd::Truncated { kind, declared } => Some(format!(
            "文件不完整：{} 盒声明长 {declared} 字节，文件在其中途结束（可能上传中断或导出未完成）",
            fourcc(kind)
        )),
        BoxWalkEnd::Malformed => Some("文件结构损坏（盒长度无效）".to_string()),
    };
    if !first_is_ftyp {
        findings.push(HiddenFinding::new(
            HiddenKind::Undisplayable,
            LOCATION,
            "不是有效的 MP4 文件：开头没有 ftyp 盒",
        ));
    } else if moov.is_none() {
        let mut detail = "缺少 moov 盒（影片信息），浏览器无法播放；通常是录制或导出中断、文件未写完".to_string();
        if let Some(truncated) = &truncated {
            detail.push('；');
            detail.push_str(truncated);
        }
        findings.push(HiddenFinding::new(HiddenKind::Undisplayable, LOCATION, detail));
    } else if let Some(truncated) = truncated {
        findings.push(HiddenFinding::new(HiddenKind::Undisplayable, LOCATION, truncated));
    }

    let properties = boxes.first().filter(|_| first_is_ftyp).and_then(|ftyp| {
        let body = bytes.get(ftyp.body..ftyp.end)?;
        let major_brand = fourcc(body.get(0..4)?);
        let compatible_brands = body.get(8..).unwrap_or_default().chunks_exact(4).map(fourcc).collect();
        let codecs = moov.map(|i| codecs(bytes, &boxes[i])).unwrap_or_default();
        let faststart = match (moov, mdat) {
            (Some(moov), Some(mdat)) => moov < mdat,
            (Some(_), None) => true,
            _ => false,
        };
        Some(Properties::Video {
            major_brand,
            compatible_brands,
            codecs,
            faststart,
        })
    });
    Inspection {
        findings,
        text: None,
        properties,
    }
}

/// The sample-entry codes in `moov/trak/mdia/minf/stbl/stsd`, in track order, deduplicated.
fn codecs(bytes: &[u8], moov: &Mp4Box) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let children = |b: &Mp4Box, kind: &[u8; 4]| -> Vec<Mp4Box> {
        walk_boxes(bytes, b.body, b.end)
            .0
            .into_iter()
            .filter(|child| &child.kind == kind)
            .collect()
    };
    for trak in children(moov, b"trak") {
        for mdia in children(&trak, b"mdia") {
            for minf in children(&mdia, b"minf") {
                for stbl in children(&minf, b"stbl") {
                    for stsd in children(&stbl, b"stsd") {
                        // Full box header (version, flags) and entry count precede the entries.
                        let entries_start = stsd.body + 8;
                        if entries_start > stsd.end {
                            continue;
                        }
                        for entry in walk_boxes(bytes, entries_start, stsd.end).0 {
                            let code = fourcc(&entry.kind);
                            if !out.contains(&code) {
                                out.push(code);
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------- PDF

pub(super) fn inspect_pdf(bytes: &[u8]) -> Inspection {
    const LOCATION: &str = "PDF 文件";
    let mut findings = Vec::new();
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if find(tail, b"%%EOF").is_none() {
        findings.push(HiddenFinding::new(
            HiddenKind::Undisplayable,
            LOCATION,
            "文件不完整：末尾没有 %%EOF 结束标记，可能在上传或导出时被截断",
        ));
    }
    let encrypted = pdf_is_encrypted(bytes);
    if encrypted {
        findings.push(HiddenFinding::new(
            HiddenKind::Encrypted,
            LOCATION,
            "文件已加密（文件尾字典中有 /Encrypt）：可能设有打开密码，或限制了复制、打印；公开的 PDF 应无需密码即可打开且不加限制，请取消加密后重新导出",
        ));
    }
    let version: String = bytes
        .strip_prefix(b"%PDF-")
        .map(|rest| {
            rest.iter()
                .take(8)
                .take_while(|b| b.is_ascii_digit() || **b == b'.')
                .map(|&b| b as char)
                .collect()
        })
        .unwrap_or_default();
    Inspection {
        findings,
        text: None,
        properties: Some(Properties::Pdf { version, encrypted }),
    }
}

fn is_pdf_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0C' | b'\0')
}

fn is_pdf_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Whether the name token (`/Encrypt`) occurs in `dict` as a whole token
/// (not as the start of `/EncryptMetadata`).
fn has_name(dict: &[u8], name: &[u8]) -> bool {
    find_all(dict, name).any(|at| {
        dict.get(at + name.len())
            .is_none_or(|&b| is_pdf_whitespace(b) || is_pdf_delimiter(b))
    })
}

/// The balanced `<< … >>` dictionary starting at `pos` (after whitespace),
/// skipping literal strings; at most 64 KiB.
fn dict_at(bytes: &[u8], mut pos: usize) -> Option<&[u8]> {
    const LIMIT: usize = 64 * 1024;
    while bytes.get(pos).is_some_and(|&b| is_pdf_whitespace(b)) {
        pos += 1;
    }
    if bytes.get(pos..pos + 2)? != b"<<" {
        return None;
    }
    let start = pos;
    let mut depth = 0usize;
    let mut i = pos;
    let end = bytes.len().min(start.saturating_add(LIMIT));
    while i < end {
        match bytes[i] {
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 2;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(&bytes[start..i]);
                }
            }
            b'(' => {
                // Literal string: balanced parentheses, backslash escapes.
                let mut nesting = 0usize;
                while i < end {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'(' => nesting += 1,
                        b')' => {
                            nesting -= 1;
                            if nesting == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// `/Encrypt` in a `trailer` dictionary or in a cross-reference stream
/// dictionary (`/Type /XRef`, PDF 1.5+). Incremental updates add trailers;
/// any of them counts.
fn pdf_is_encrypted(bytes: &[u8]) -> bool {
    if find(bytes, b"/Encrypt").is_none() {
        return false;
    }
    let in_trailer = find_all(bytes, b"trailer").any(|at| dict_at(bytes, at + 7).is_some_and(|dict| has_name(dict, b"/Encrypt")));
    in_trailer
        || find_all(bytes, b"/XRef").any(|at| {
            // The dictionary of the object holding this name: after the nearest preceding "obj".
            let from = at.saturating_sub(4096);
            let Some(obj) = bytes[from..at].windows(3).rposition(|w| w == b"obj") else {
                return false;
            };
            dict_at(bytes, from + obj + 3).is_some_and(|dict| has_name(dict, b"/XRef") && has_name(dict, b"/Encrypt"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_walk_accepts_trailers_and_restart_markers() {
        // SOI, APP0 (len 4), SOS (len 3 + 1), data with stuffed FF00 and RST0, EOI, trailer.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2, 0xFF, 0xDA, 0, 3, 9, 0x11, 0xFF, 0x00, 0x22, 0xFF, 0xD0, 0x33, 0xFF, 0xD9, b'S', b'E',
        ];
        assert_eq!(jpeg_complete(&jpeg), Ok(()));
        assert!(jpeg_complete(&jpeg[..20]).is_err());
        // A segment longer than the file.
        assert!(jpeg_complete(&[0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0x00, 1, 2, 0xFF, 0xD9]).is_err());
        // An FF D9 inside a segment (e.g. an EXIF thumbnail) does not end the image.
        assert!(jpeg_complete(&[0xFF, 0xD8, 0xFF, 0xE1, 0, 6, 0xFF, 0xD9, 0, 0]).is_err());
    }

    #[test]
    fn png_walk_needs_iend() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[0, 0, 0, 1, b't', b'E', b'X', b't', b'x', 0, 0, 0, 0]);
        assert!(png_complete(&png).is_err());
        png.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
        assert_eq!(png_complete(&png), Ok(()));
        png[8..12].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
        assert!(png_complete(&png).is_err());
    }

    #[test]
    fn pdf_dictionaries_and_names() {
        assert_eq!(
            dict_at(b" <</A <</B 1>> /S (a >> b)>> tail", 0),
            Some(&b"<</A <</B 1>> /S (a >> b)>>"[..])
        );
        assert_eq!(dict_at(b"<</A 1", 0), None);
        assert!(has_name(b"<</Encrypt 5 0 R>>", b"/Encrypt"));
        assert!(has_name(b"<</Encrypt<</Filter/Standard>>>>", b"/Encrypt"));
        assert!(!has_name(b"<</EncryptMetadata false>>", b"/Encrypt"));
    }

    #[test]
    fn pdf_encryption_is_found_in_trailers_and_xref_streams() {
        assert!(pdf_is_encrypted(
            b"%PDF-1.4\ntrailer\n<< /Size 3 /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF"
        ));
        assert!(pdf_is_encrypted(
            b"%PDF-1.5\n7 0 obj\n<</Type/XRef/Size 8/Encrypt 6 0 R/W[1 2 1]>>stream\n..."
        ));
        // The name elsewhere (e.g. in an uncompressed content stream) is not encryption.
        assert!(!pdf_is_encrypted(
            b"%PDF-1.4\n4 0 obj\n<</Length 9>>stream\n(/Encrypt)\nendstream\ntrailer\n<</Size 5>>\n%%EOF"
        ));
    }

    #[test]
    fn mp4_box_walk() {
        let mut mp4 = Vec::new();
        mp4.extend_from_slice(&[0, 0, 0, 16]);
        mp4.extend_from_slice(b"ftypisom\0\0\0\0");
        mp4.extend_from_slice(&[0, 0, 0, 8]);
        mp4.extend_from_slice(b"free");
        let (boxes, end) = walk_boxes(&mp4, 0, mp4.len());
        assert_eq!(boxes.len(), 2);
        assert!(matches!(end, BoxWalkEnd::Complete));
        mp4.extend_from_slice(&[0, 0, 1, 0]);
        mp4.extend_from_slice(b"mdat");
        let (_, end) = walk_boxes(&mp4, 0, mp4.len());
        assert!(matches!(end, BoxWalkEnd::Truncated { declared: 256, .. }));
        let (_, end) = walk_boxes(&mp4[..24], 0, 24);
        assert!(matches!(end, BoxWalkEnd::Complete));
        assert!(matches!(
            walk_boxes(&[0, 0, 0, 4, b'b', b'a', b'd', b'!'], 0, 8).1,
            BoxWalkEnd::Malformed
        ));
    }
}
