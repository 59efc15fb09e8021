//! Reading ZIP-based packages (docx, xlsx, ofd) within size limits, and a
//! small XML walker over `quick-xml` shared by the format modules.

use super::{FileError, MAX_PART_SIZE, MAX_UNPACKED_SIZE, MAX_ZIP_ENTRIES, MIB};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::HashMap;
use std::io::{Cursor, Read};

fn corrupt(message: impl Into<String>) -> FileError {
    FileError::Corrupt(message.into())
}

/// A ZIP archive opened for reading parts by name (case-insensitively, as OPC
/// part names are), with every read counted against [`MAX_UNPACKED_SIZE`].
pub(super) struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    index: HashMap<String, usize>,
    unpacked: u64,
}

impl<'a> Package<'a> {
    pub(super) fn open(bytes: &'a [u8]) -> Result<Self, FileError> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(format!("not a readable ZIP archive: {e}")))?;
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(corrupt(format!(
                "the ZIP archive has {} entries, more than {MAX_ZIP_ENTRIES}",
                archive.len()
            )));
        }
        if archive.has_duplicate_names() {
            return Err(corrupt("the ZIP archive has duplicate entry names"));
        }
        let names: Vec<String> = archive
            .file_names_raw()
            .map(|raw| String::from_utf8_lossy(raw).into_owned())
            .collect();
        let mut index = HashMap::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if index.insert(name.to_lowercase(), i).is_some() {
                return Err(corrupt(format!("the ZIP archive has two entries named {name:?} (ignoring case)")));
            }
        }
        Ok(Package {
            archive,
            names,
            index,
            unpacked: 0,
        })
    }

    /// Entry names as stored.
    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.index.contains_key(&name.to_lowercase())
    }

    /// The decompressed bytes of a part, `None` when absent.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, FileError> {
        let Some(&i) = self.index.get(&name.to_lowercase()) else {
            return Ok(None);
        };
        let budget = MAX_UNPACKED_SIZE.saturating_sub(self.unpacked);
        let cap = MAX_PART_SIZE.min(budget);
        let entry = self
            .archive
            .by_index(i)
            .map_err(|e| corrupt(format!("cannot read part {name}: {e}")))?;
        let mut buf = Vec::new();
        entry
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| corrupt(format!("cannot decompress part {name}: {e}")))?;
        if buf.len() as u64 > cap {
            return Err(if cap == MAX_PART_SIZE {
                corrupt(format!("part {name} expands beyond {} MiB", MAX_PART_SIZE / MIB))
            } else {
                corrupt(format!("the archive expands beyond {} MiB in total", MAX_UNPACKED_SIZE / MIB))
            });
        }
        self.unpacked += buf.len() as u64;
        Ok(Some(buf))
    }

    /// A part decoded as XML text (UTF-8, or UTF-16 with a byte-order mark).
    pub(super) fn read_xml(&mut self, name: &str) -> Result<Option<String>, FileError> {
        match self.read(name)? {
            Some(bytes) => decode_xml(name, bytes).map(Some),
            None => Ok(None),
        }
    }

    pub(super) fn require_xml(&mut self, name: &str) -> Result<String, FileError> {
        self.read_xml(name)?
            .ok_or_else(|| corrupt(format!("required part {name} is missing")))
    }

    /// The internal relationships of `part` (from `dir/_rels/name.rels`), with
    /// targets resolved to part names. A missing relationships part is empty.
    pub(super) fn relationships(&mut self, part: &str) -> Result<Vec<Relationship>, FileError> {
        let rels_name = match part.rsplit_once('/') {
            Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
            None => format!("_rels/{part}.rels"),
        };
        let Some(xml) = self.read_xml(&rels_name)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        walk(&rels_name, &xml, |event| {
            if let XmlEvent::Open {
                name: "Relationship",
                element,
            } = event
            {
                if attr(element, "TargetMode")?.is_some_and(|mode| mode.eq_ignore_ascii_case("External")) {
                    return Ok(());
                }
                let (Some(id), Some(rel_type), Some(target)) = (attr(element, "Id")?, attr(element, "Type")?, attr(element, "Target")?)
                else {
                    return Err(corrupt(format!("{rels_name}: a relationship lacks Id, Type or Target")));
                };
                if let Some(target) = resolve_target(part, &target) {
                    out.push(Relationship { id, rel_type, target });
                }
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// One internal relationship of a part.
pub(super) struct Relationship {
    pub id: String,
    pub rel_type: String,
    /// The target part name, resolved against the source part.
    pub target: String,
}

impl Relationship {
    /// Whether the relationship type ends with `/suffix` (ECMA-376 transitional
    /// and strict URIs differ only before the last segment).
    pub(super) fn is(&self, suffix: &str) -> bool {
        self.rel_type.rsplit('/').next() == Some(suffix)
    }
}

/// Resolves a relationship target against its source part: `../comments1.xml`
/// from `xl/worksheets/sheet1.xml` is `xl/comments1.xml`; `/xl/x.xml` is absolute.
pub(super) fn resolve_target(source_part: &str, target: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    let relative = match target.strip_prefix('/') {
        Some(absolute) => absolute,
        None => {
            if let Some((dir, _)) = source_part.rsplit_once('/') {
                segments.extend(dir.split('/').filter(|s| !s.is_empty()));
            }
            target
        }
    };
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    (!segments.is_empty()).then(|| segments.join("/"))
}

fn decode_xml(name: &str, bytes: Vec<u8>) -> Result<String, FileError> {
    let utf16 = |chunks: std::slice::ChunksExact<'_, u8>, big_endian: bool| {
        let units = chunks.map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| corrupt(format!("part {name} is not valid UTF-16")))
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest.chunks_exact(2), false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest.chunks_exact(2), true);
    }
    let mut text = String::from_utf8(bytes).map_err(|_| corrupt(format!("part {name} is not valid UTF-8")))?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

/// What [`walk`] reports. Empty elements (`<a/>`) arrive as `Open` then `Close`.
pub(super) enum XmlEvent<'e> {
    /// An element opens; `name` is its local name (prefix removed).
    Open {
        name: &'e str,
        element: &'e BytesStart<'e>,
    },
    Close {
        name: &'e str,
    },
    /// Character data with entity and character references resolved.
    Text(&'e str),
}

/// Walks a well-formed XML document; anything malformed (mismatched or
/// unclosed tags, bad references, no root element) is [`FileError::Corrupt`].
/// References to undeclared entities are dropped (Office parts declare none).
pub(super) fn walk(part: &str, xml: &str, mut visit: impl FnMut(XmlEvent<'_>) -> Result<(), FileError>) -> Result<(), FileError> {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = true;
    let mut depth = 0usize;
    let mut seen_root = false;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(corrupt(format!("{part}: malformed XML at byte {}: {e}", reader.error_position()))),
        };
        match event {
            Event::Start(element) => {
                if depth == 0 && seen_root {
                    return Err(corrupt(format!("{part}: more than one root element")));
                }
                depth += 1;
                seen_root = true;
                let local = element.local_name();
                visit(XmlEvent::Open {
                    name: local.as_ref(),
                    element: &element,
                })?;
            }
            Event::End(element) => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| corrupt(format!("{part}: unexpected closing tag")))?;
                let local = element.local_name();
                visit(XmlEvent::Close { name: local.as_ref() })?;
            }
            Event::Text(text) if depth > 0 => visit(XmlEvent::Text(&text.xml10_content()))?,
            Event::CData(text) if depth > 0 => visit(XmlEvent::Text(&text.xml10_content()))?,
            Event::GeneralRef(reference) if depth > 0 => {
                let resolved = reference
                    .resolve_char_ref()
                    .map_err(|e| corrupt(format!("{part}: bad character reference: {e}")))?;
                if let Some(c) = resolved {
                    visit(XmlEvent::Text(c.encode_utf8(&mut [0; 4])))?;
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&reference) {
                    visit(XmlEvent::Text(s))?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 || !seen_root {
        return Err(corrupt(format!("{part}: XML ends before its root element is closed")));
    }
    Ok(())
}

/// The value of the attribute with this local name (prefix ignored), unescaped.
pub(super) fn attr(element: &BytesStart<'_>, local: &str) -> Result<Option<String>, FileError> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| corrupt(format!("malformed attribute: {e}")))?;
        if attribute.key.local_name().as_ref() == local {
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| corrupt(format!("malformed attribute value: {e}")))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// An `xsd:boolean` (and WordprocessingML `on`/`off`) attribute value.
pub(super) fn xml_bool(value: &str) -> Option<bool> {
    match value.trim() {
        "1" | "true" | "on" => Some(true),
        "0" | "false" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_part() {
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "../comments1.xml").as_deref(),
            Some("xl/comments1.xml")
        );
        assert_eq!(
            resolve_target("xl/workbook.xml", "worksheets/sheet2.xml").as_deref(),
            Some("xl/worksheets/sheet2.xml")
        );
        assert_eq!(
            resolve_target("xl/workbook.xml", "/xl/worksheets/sheet2.xml").as_deref(),
            Some("xl/worksheets/sheet2.xml")
        );
        assert_eq!(
            resolve_target("word/document.xml", "./media/../styles.xml").as_deref(),
            Some("word/styles.xml")
        );
        assert_eq!(
            resolve_target("OFD.xml", "Doc_0/Document.xml").as_deref(),
            Some("Doc_0/Document.xml")
        );
        assert_eq!(resolve_target("xl/workbook.xml", "../../escape.xml"), None);
    }

    fn collect(xml: &str) -> Result<Vec<String>, FileError> {
        let mut out = Vec::new();
        walk("test.xml", xml, |event| {
            out.push(match event {
                XmlEvent::Open { name, .. } => format!("<{name}"),
                XmlEvent::Close { name } => format!("{name}>"),
                XmlEvent::Text(text) => text.to_string(),
            });
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn walker_expands_empty_elements_and_resolves_references() {
        let events = collect(r#"<w:a xmlns:w="x"><w:b/>A&amp;B&#x4E2D;<![CDATA[<c>]]></w:a>"#).unwrap();
        assert_eq!(events, vec!["<a", "<b", "b>", "A", "&", "B", "中", "<c>", "a>"]);
    }

    #[test]
    fn walker_rejects_malformed_xml() {
        for xml in ["<a><b></a>", "<a>", "", "just text", "<a/><b/>", "<a>&#0;</a>"] {
            assert!(matches!(collect(xml), Err(FileError::Corrupt(_))), "{xml:?}");
        }
    }

    #[test]
    fn utf16_parts_are_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "<a>表</a>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_xml("p", bytes).unwrap(), "<a>表</a>");
        assert_eq!(decode_xml("p", "\u{FEFF}<a/>".as_bytes().to_vec()).unwrap(), "<a/>");
        assert!(decode_xml("p", vec![0xC3, 0x28]).is_err());
    }

    #[test]
    fn booleans() {
        assert_eq!(xml_bool("1"), Some(true));
        assert_eq!(xml_bool("true"), Some(true));
        assert_eq!(xml_bool("0"), Some(false));
        assert_eq!(xml_bool("false"), Some(false));
        assert_eq!(xml_bool("maybe"), None);
    }
}
