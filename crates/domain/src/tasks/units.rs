//! The 牵头单位 and 责任单位 cells: lists of unit names, some of which name a
//! whole group of units rather than one.

use serde::{Deserialize, Serialize};

/// A collective name in a unit cell: not one unit but every unit of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectiveGroup {
    /// 各乡镇（街道）; also written 各乡镇人民政府、街道办事处.
    AllTownships,
    /// 县政府各部门, 县政府部门.
    AllDepartments,
    /// 县政府有关部门: the departments concerned, chosen per task.
    RelevantDepartments,
    /// 县政府及其部门: the county government itself and its departments.
    GovernmentAndDepartments,
}

impl CollectiveGroup {
    /// Every group, in a stable order.
    pub const ALL: [CollectiveGroup; 4] = [
        CollectiveGroup::AllTownships,
        CollectiveGroup::AllDepartments,
        CollectiveGroup::RelevantDepartments,
        CollectiveGroup::GovernmentAndDepartments,
    ];

    /// The label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            CollectiveGroup::AllTownships => "各乡镇（街道）",
            CollectiveGroup::AllDepartments => "县政府各部门",
            CollectiveGroup::RelevantDepartments => "县政府有关部门",
            CollectiveGroup::GovernmentAndDepartments => "县政府及其部门",
        }
    }

    /// A stable code for storage.
    pub fn code(self) -> &'static str {
        match self {
            CollectiveGroup::AllTownships => "all_townships",
            CollectiveGroup::AllDepartments => "all_departments",
            CollectiveGroup::RelevantDepartments => "relevant_departments",
            CollectiveGroup::GovernmentAndDepartments => "government_and_departments",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        CollectiveGroup::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Does the group take in every unit of this kind? 县政府有关部门 takes
    /// in none by itself: the office names the departments concerned for
    /// each task.
    pub fn covers(self, kind: crate::accounts::UnitKind) -> bool {
        use crate::accounts::UnitKind::*;
        match self {
            CollectiveGroup::AllTownships => matches!(kind, Township | Street),
            CollectiveGroup::AllDepartments => kind == Department,
            CollectiveGroup::RelevantDepartments => false,
            CollectiveGroup::GovernmentAndDepartments => matches!(kind, Government | Department),
        }
    }

    /// The group a (normalised) name stands for, if it is a collective name.
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "各乡镇（街道）"
            | "乡镇（街道）"
            | "各乡镇街道"
            | "各乡镇（街道办事处）"
            | "各乡镇人民政府"
            | "街道办事处"
            | "各街道办事处"
            | "各乡镇" => CollectiveGroup::AllTownships,
            "县政府各部门" | "县政府部门" | "县级各部门" | "县级部门" => CollectiveGroup::AllDepartments,
            "县政府有关部门" | "县级有关部门" | "有关部门" | "县政府相关部门" => {
                CollectiveGroup::RelevantDepartments
            }
            "县政府及其部门" | "县政府及各部门" => CollectiveGroup::GovernmentAndDepartments,
            _ => return None,
        })
    }
}

/// One entry of a unit cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum UnitRef {
    /// A named unit, e.g. `县发展改革委`.
    Unit(String),
    /// A collective name, e.g. `各乡镇（街道）`.
    Group(CollectiveGroup),
}

impl UnitRef {
    /// The name as shown to users (a group's label).
    pub fn name_zh(&self) -> &str {
        match self {
            UnitRef::Unit(name) => name,
            UnitRef::Group(group) => group.label_zh(),
        }
    }
}

/// Splits a unit cell on `、` `，` `,` `；` `;` (not inside parentheses),
/// trims each name, maps collective names to [`CollectiveGroup`] and drops
/// duplicates. Half-width parentheses are made full-width so that
/// `各乡镇(街道)` and `各乡镇（街道）` are the same name.
pub fn parse_units(cell: &str) -> Vec<UnitRef> {
    let mut out: Vec<UnitRef> = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<UnitRef>| {
        let name = current.trim().trim_end_matches(['。', '.', '．']).trim().to_owned();
        current.clear();
        if name.is_empty() {
            return;
        }
        let unit = match CollectiveGroup::from_name(&name) {
            Some(group) => UnitRef::Group(group),
            None => UnitRef::Unit(name),
        };
        if !out.contains(&unit) {
            out.push(unit);
        }
    };
    for c in cell.chars() {
        let c = match c {
            '(' => '（',
            ')' => '）',
            c => c,
        };
        match c {
            '（' => {
                depth += 1;
                current.push(c);
            }
            '）' => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            '、' | '，' | ',' | '；' | ';' | '\n' if depth == 0 => flush(&mut current, &mut out),
            c if c.is_whitespace() => {}
            c => current.push(c),
        }
    }
    flush(&mut current, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_groups() {
        assert_eq!(
            parse_units("县政府新闻办公室、县卫生健康委"),
            vec![UnitRef::Unit("县政府新闻办公室".into()), UnitRef::Unit("县卫生健康委".into())]
        );
        assert_eq!(
            parse_units("各乡镇人民政府、街道办事处，县政府各部门"),
            vec![
                UnitRef::Group(CollectiveGroup::AllTownships),
                UnitRef::Group(CollectiveGroup::AllDepartments)
            ]
        );
        assert_eq!(parse_units("各乡镇(街道)"), vec![UnitRef::Group(CollectiveGroup::AllTownships)]);
        assert_eq!(
            parse_units("县政府及其部门"),
            vec![UnitRef::Group(CollectiveGroup::GovernmentAndDepartments)]
        );
        assert_eq!(
            parse_units("县政府有关部门"),
            vec![UnitRef::Group(CollectiveGroup::RelevantDepartments)]
        );
        assert_eq!(parse_units("县 教 委"), vec![UnitRef::Unit("县教委".into())]);
        assert_eq!(parse_units("某单位（甲、乙）"), vec![UnitRef::Unit("某单位（甲、乙）".into())]);
        assert!(parse_units(" 、，").is_empty());
    }

    #[test]
    fn groups_resolve_by_kind_of_unit() {
        use crate::accounts::UnitKind;
        assert!(CollectiveGroup::AllTownships.covers(UnitKind::Street));
        assert!(CollectiveGroup::AllTownships.covers(UnitKind::Township));
        assert!(!CollectiveGroup::AllTownships.covers(UnitKind::Department));
        assert!(CollectiveGroup::AllDepartments.covers(UnitKind::Department));
        assert!(!CollectiveGroup::AllDepartments.covers(UnitKind::Government));
        assert!(CollectiveGroup::GovernmentAndDepartments.covers(UnitKind::Government));
        assert!(!CollectiveGroup::RelevantDepartments.covers(UnitKind::Department));
        for g in CollectiveGroup::ALL {
            assert_eq!(CollectiveGroup::from_code(g.code()), Some(g));
        }
    }
}
