//! OFD (GB/T 33190-2016 版式文档): the entry file `OFD.xml` must be
//! well-formed and each document it lists (`DocBody/DocRoot`) must exist.
//! The page content is not interpreted, and no text is extracted.

use super::package::{Package, XmlEvent, resolve_target, walk};
use super::{FileError, HiddenFinding, HiddenKind, Inspection};

pub(super) fn inspect(package: &mut Package<'_>) -> Result<Inspection, FileError> {
    const ENTRY: &str = "OFD.xml";
    const LOCATION: &str = "OFD 文件";
    let xml = package.require_xml(ENTRY)?;
    let mut roots: Vec<String> = Vec::new();
    let mut in_root = false;
    walk(ENTRY, &xml, |event| {
        match event {
            XmlEvent::Open { name: "DocRoot", .. } => {
                in_root = true;
                roots.push(String::new());
            }
            XmlEvent::Close { name: "DocRoot" } => in_root = false,
            XmlEvent::Text(s) if in_root => {
                if let Some(root) = roots.last_mut() {
                    root.push_str(s);
                }
            }
            _ => {}
        }
        Ok(())
    })?;

    let mut findings = Vec::new();
    if roots.iter().all(|root| root.trim().is_empty()) {
        findings.push(HiddenFinding::new(
            HiddenKind::Undisplayable,
            LOCATION,
            "OFD.xml 中没有文档入口（DocRoot），阅读器无法打开",
        ));
    }
    for root in roots.iter().map(|root| root.trim()).filter(|root| !root.is_empty()) {
        match resolve_target(ENTRY, root) {
            Some(part) if package.contains(&part) => {
                // The document description must at least be well-formed XML.
                let document = package.require_xml(&part)?;
                walk(&part, &document, |_| Ok(()))?;
            }
            _ => findings.push(HiddenFinding::new(
                HiddenKind::Undisplayable,
                LOCATION,
                format!("OFD.xml 指向的文档“{root}”不存在，阅读器无法打开"),
            )),
        }
    }
    Ok(Inspection {
        findings,
        text: None,
        properties: None,
    })
}
