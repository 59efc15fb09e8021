//! Just enough of the OLE2 compound file format ([MS-CFB]) to list the
//! streams at the root of a `.doc`, `.xls` or encrypted Office file: header,
//! FAT (with DIFAT), directory chain, and the root's child tree. Stream
//! contents are never read. Every loop is bounded by the number of sectors.

pub(super) const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE_SECT: u32 = 0xFFFF_FFFF;
const NO_STREAM: u32 = 0xFFFF_FFFF;
const HEADER_DIFAT_ENTRIES: usize = 109;
const DIR_ENTRY_SIZE: usize = 128;

/// Which well-known streams sit at the root of the compound file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct RootStreams {
    /// `WordDocument`: a Word 97–2003 (or Word 6/95) document.
    pub word: bool,
    /// `Workbook` (Excel 97+) or `Book` (Excel 5/95).
    pub excel: bool,
    /// `EncryptedPackage`: a password-protected docx/xlsx/pptx.
    pub encrypted_package: bool,
}

impl RootStreams {
    pub(super) fn read(bytes: &[u8]) -> Result<RootStreams, String> {
        let names = root_entry_names(bytes)?;
        let has = |wanted: &str| names.iter().any(|name| name.eq_ignore_ascii_case(wanted));
        Ok(RootStreams {
            word: has("WordDocument"),
            excel: has("Workbook") || has("Book"),
            encrypted_package: has("EncryptedPackage"),
        })
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// The names of the storages and streams directly below the root entry.
pub(super) fn root_entry_names(bytes: &[u8]) -> Result<Vec<String>, String> {
    let bad = |what: &str| format!("invalid OLE2 compound file: {what}");
    if bytes.len() < 512 || !bytes.starts_with(&OLE_MAGIC) {
        return Err(bad("shorter than its header"));
    }
    if u16_at(bytes, 28) != Some(0xFFFE) {
        return Err(bad("wrong byte-order mark"));
    }
    let shift = u16_at(bytes, 30).ok_or_else(|| bad("header"))?;
    if shift != 9 && shift != 12 {
        return Err(bad("unsupported sector size"));
    }
    let sector_size = 1usize << shift;
    // Sector n starts at (n + 1) * sector_size; a short last sector is allowed.
    let sector_count = bytes.len().div_ceil(sector_size).saturating_sub(1);
    let sector = |id: u32| -> Option<&[u8]> {
        let id = id as usize;
        if id >= sector_count {
            return None;
        }
        let start = (id + 1) * sector_size;
        bytes.get(start..(start + sector_size).min(bytes.len()))
    };
    let header_u32 = |at: usize| u32_at(bytes, at).ok_or_else(|| bad("header"));
    let fat_sector_count = header_u32(44)? as usize;
    let first_dir_sector = header_u32(48)?;
    let first_difat_sector = header_u32(68)?;
    if fat_sector_count > sector_count {
        return Err(bad("more FAT sectors than the file holds"));
    }

    // The FAT sectors: the first 109 are listed in the header, the rest in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..HEADER_DIFAT_ENTRIES.min(fat_sector_count))
        .filter_map(|i| u32_at(bytes, 76 + 4 * i))
        .collect();
    let mut difat = first_difat_sector;
    let mut hops = 0usize;
    while fat_sectors.len() < fat_sector_count && difat != END_OF_CHAIN && difat != FREE_SECT {
        hops += 1;
        if hops > sector_count {
            return Err(bad("DIFAT chain loops"));
        }
        let data = sector(difat).ok_or_else(|| bad("DIFAT sector outside the file"))?;
        let per_sector = sector_size / 4 - 1;
        for i in 0..per_sector {
            if fat_sectors.len() == fat_sector_count {
                break;
            }
            fat_sectors.push(u32_at(data, 4 * i).ok_or_else(|| bad("short DIFAT sector"))?);
        }
        difat = u32_at(data, 4 * per_sector).ok_or_else(|| bad("short DIFAT sector"))?;
    }
    let mut fat: Vec<u32> = Vec::with_capacity(fat_sectors.len() * sector_size / 4);
    for id in fat_sectors {
        let data = sector(id).ok_or_else(|| bad("FAT sector outside the file"))?;
        fat.extend(data.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])));
    }

    // The directory: follow its chain through the FAT.
    let mut entries: Vec<&[u8]> = Vec::new();
    let mut current = first_dir_sector;
    let mut hops = 0usize;
    while current != END_OF_CHAIN {
        hops += 1;
        if hops > sector_count {
            return Err(bad("directory chain loops"));
        }
        let data = sector(current).ok_or_else(|| bad("directory sector outside the file"))?;
        entries.extend(data.chunks_exact(DIR_ENTRY_SIZE));
        current = *fat.get(current as usize).ok_or_else(|| bad("directory chain leaves the FAT"))?;
    }
    let root = entries.first().ok_or_else(|| bad("empty directory"))?;
    if root[66] != 5 {
        return Err(bad("the first directory entry is not the root"));
    }

    // The root's children form a tree linked through left and right siblings.
    let mut names = Vec::new();
    let mut visited = vec![false; entries.len()];
    let mut stack = vec![u32_at(root, 76).unwrap_or(NO_STREAM)];
    while let Some(id) = stack.pop() {
        if id == NO_STREAM {
            continue;
        }
        let Some(entry) = entries.get(id as usize) else {
            return Err(bad("directory entry out of range"));
        };
        if std::mem::replace(&mut visited[id as usize], true) {
            continue;
        }
        if matches!(entry[66], 1 | 2) {
            names.push(entry_name(entry));
        }
        stack.push(u32_at(entry, 68).unwrap_or(NO_STREAM));
        stack.push(u32_at(entry, 72).unwrap_or(NO_STREAM));
    }
    Ok(names)
}

fn entry_name(entry: &[u8]) -> String {
    let length = (u16_at(entry, 64).unwrap_or(0) as usize).min(64);
    let units: Vec<u16> = entry[..length]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal compound file (512-byte sectors) whose root holds empty
    /// streams with these names: sector 0 is the FAT, sectors 1.. the directory.
    pub(crate) fn compound_file(streams: &[&str]) -> Vec<u8> {
        let entries = streams.len() + 1;
        let dir_sectors = entries.div_ceil(4);
        let mut out = vec![0u8; 512 * (1 + 1 + dir_sectors)];
        out[..8].copy_from_slice(&OLE_MAGIC);
        out[24..26].copy_from_slice(&0x003Eu16.to_le_bytes());
        out[26..28].copy_from_slice(&3u16.to_le_bytes());
        out[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        out[30..32].copy_from_slice(&9u16.to_le_bytes());
        out[32..34].copy_from_slice(&6u16.to_le_bytes());
        out[44..48].copy_from_slice(&1u32.to_le_bytes());
        out[48..52].copy_from_slice(&1u32.to_le_bytes());
        out[56..60].copy_from_slice(&4096u32.to_le_bytes());
        out[60..64].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        out[68..72].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for i in 0..HEADER_DIFAT_ENTRIES {
            let value = if i == 0 { 0 } else { FREE_SECT };
            out[76 + 4 * i..80 + 4 * i].copy_from_slice(&value.to_le_bytes());
        }
        let fat = 512;
        for i in 0..128u32 {
            let value = match i {
                0 => 0xFFFF_FFFD,
                i if (i as usize) < dir_sectors => i + 1,
                i if i as usize == dir_sectors => END_OF_CHAIN,
                _ => FREE_SECT,
            };
            out[fat + 4 * i as usize..fat + 4 * i as usize + 4].copy_from_slice(&value.to_le_bytes());
        }
        let names: Vec<&str> = std::iter::once("Root Entry").chain(streams.iter().copied()).collect();
        for (i, name) in names.iter().enumerate() {
            let at = 1024 + i * DIR_ENTRY_SIZE;
            let units: Vec<u16> = name.encode_utf16().collect();
            for (j, unit) in units.iter().enumerate() {
                out[at + 2 * j..at + 2 * j + 2].copy_from_slice(&unit.to_le_bytes());
            }
            out[at + 64..at + 66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
            out[at + 66] = if i == 0 { 5 } else { 2 };
            let right = if i > 0 && i + 1 < names.len() { (i + 1) as u32 } else { NO_STREAM };
            let child = if i == 0 && names.len() > 1 { 1 } else { NO_STREAM };
            out[at + 68..at + 72].copy_from_slice(&NO_STREAM.to_le_bytes());
            out[at + 72..at + 76].copy_from_slice(&right.to_le_bytes());
            out[at + 76..at + 80].copy_from_slice(&child.to_le_bytes());
            out[at + 116..at + 120].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        }
        out
    }

    #[test]
    fn lists_root_streams_across_directory_sectors() {
        let file = compound_file(&[
            "1Table",
            "WordDocument",
            "SummaryInformation",
            "DocumentSummaryInformation",
            "CompObj",
            "Data",
        ]);
        let names = root_entry_names(&file).unwrap();
        assert_eq!(names.len(), 6);
        assert!(names.contains(&"WordDocument".to_string()));
        assert!(
            names.contains(&"Data".to_string()),
            "entry in the second directory sector: {names:?}"
        );
        assert_eq!(
            RootStreams::read(&file).unwrap(),
            RootStreams {
                word: true,
                excel: false,
                encrypted_package: false
            }
        );
    }

    #[test]
    fn classifies_workbooks_and_encrypted_packages() {
        assert!(RootStreams::read(&compound_file(&["Workbook"])).unwrap().excel);
        assert!(RootStreams::read(&compound_file(&["Book"])).unwrap().excel);
        let encrypted = RootStreams::read(&compound_file(&["EncryptionInfo", "EncryptedPackage"])).unwrap();
        assert!(encrypted.encrypted_package && !encrypted.word && !encrypted.excel);
    }

    #[test]
    fn rejects_loops_and_truncation() {
        let mut looping = compound_file(&["WordDocument"]);
        // The directory sector (1) points to itself in the FAT.
        looping[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
        assert!(root_entry_names(&looping).unwrap_err().contains("loops"));
        let file = compound_file(&["WordDocument"]);
        assert!(root_entry_names(&file[..600]).is_err());
        assert!(root_entry_names(&OLE_MAGIC).is_err());
    }
}
