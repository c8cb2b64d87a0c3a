//! CSV: one row per element, with a header, in the documented columns below (README, "Open
//! data"); tags are joined by " | " since they may hold commas. Quoting is the `csv` crate's.

use crate::search::Item;

/// The columns, in order.
pub const COLUMNS: [&str; 15] = [
    "id",
    "slug",
    "kind",
    "type",
    "name",
    "short_description",
    "commune_code",
    "commune_name",
    "lat",
    "lon",
    "tags",
    "start",
    "end",
    "url",
    "image",
];

/// An item's fields by column, as text (empty when absent); `site` makes the page's address.
pub fn fields(item: &Item, site: &str) -> [(&'static str, String); 15] {
    let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    let values = [
        item.id.clone(),
        item.slug.clone(),
        item.kind.clone(),
        item.type_.clone().unwrap_or_default(),
        item.name.clone(),
        item.short_description.clone().unwrap_or_default(),
        item.commune.code.clone(),
        item.commune.name.clone().unwrap_or_default(),
        number(item.lat),
        number(item.lon),
        item.tags.join(" | "),
        item.start.clone().unwrap_or_default(),
        item.end.clone().unwrap_or_default(),
        format!("{site}/e/{}/", item.slug),
        item.logo
            .as_ref()
            .map(|path| format!("{site}{path}"))
            .unwrap_or_default(),
    ];
    let mut i = 0;
    COLUMNS.map(|column| {
        let value = values[i].clone();
        i += 1;
        (column, value)
    })
}

/// The CSV text.
pub fn csv(items: &[Item], site: &str) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let mut rows = vec![COLUMNS.map(String::from).to_vec()];
    rows.extend(
        items
            .iter()
            .map(|item| fields(item, site).map(|(_, v)| v).to_vec()),
    );
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::sample as item;
    use super::*;

    #[test]
    fn one_quoted_row_per_element_under_the_header() {
        let text = csv(&[item(Some(-21.01))], "https://x.fr");
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
        assert_eq!(
            lines.next().unwrap(),
            "e_1,jardin-partage,organization,NGO,\"Jardin \"\"partagé\"\"\",,97415,Saint-Paul,-21.01,55.27,\"jardin | lien, social\",,,https://x.fr/e/jardin-partage/,"
        );
        assert_eq!(lines.next(), None);
    }
}
