//! Atom (RFC 4287) for a territory's live feed: new elements and posts, newest first. The XML
//! is written, and escaped, by `quick-xml`.

use crate::live::LiveItem;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

/// The feed; `self_url` is the address it was asked at, `title` names the territory.
pub fn atom(items: &[LiveItem], site: &str, self_url: &str, title: &str, now: i64) -> String {
    let mut writer = Writer::new(Vec::new());
    let updated = items
        .first()
        .map(|i| i.at.clone())
        .unwrap_or_else(|| crate::time::rfc3339(now));
    // Writing to memory cannot fail.
    let _ = write_feed(&mut writer, items, site, self_url, title, &updated);
    String::from_utf8(writer.into_inner()).unwrap_or_default()
}

fn write_feed(
    w: &mut Writer<Vec<u8>>,
    items: &[LiveItem],
    site: &str,
    self_url: &str,
    title: &str,
    updated: &str,
) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xml:lang", "fr"))
        .write_inner_content(|w| {
            text(w, "title", title)?;
            text(w, "id", self_url)?;
            text(w, "updated", updated)?;
            w.create_element("link")
                .with_attribute(("rel", "self"))
                .with_attribute(("href", self_url))
                .write_empty()?;
            w.create_element("author")
                .write_inner_content(|w| text(w, "name", "Communs"))?;
            for item in items {
                entry(w, item, site)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn entry(w: &mut Writer<Vec<u8>>, item: &LiveItem, site: &str) -> io::Result<()> {
    let (title, link, author) = match (&item.slug, &item.name) {
        (Some(slug), Some(name)) => (
            format!("Nouveau : {name}"),
            Some(format!("{site}/e/{slug}/")),
            "Communs".to_string(),
        ),
        _ => {
            let text: String = item
                .text
                .clone()
                .unwrap_or_default()
                .chars()
                .take(80)
                .collect();
            (text, None, item.author.clone().unwrap_or_default())
        }
    };
    w.create_element("entry").write_inner_content(|w| {
        text(w, "id", &format!("{site}/live/#{}", item.id))?;
        text(w, "title", &title)?;
        text(w, "updated", &item.at)?;
        if let Some(href) = &link {
            w.create_element("link")
                .with_attribute(("href", href.as_str()))
                .write_empty()?;
        }
        w.create_element("author")
            .write_inner_content(|w| text(w, "name", &author))?;
        if let Some(body) = &item.text {
            w.create_element("content")
                .with_attribute(("type", "text"))
                .write_text_content(BytesText::new(body))?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: &str, text: &str, at: &str) -> LiveItem {
        LiveItem {
            item_type: "post".into(),
            id: id.into(),
            at: at.into(),
            slug: None,
            kind: None,
            name: None,
            text: Some(text.into()),
            author: Some("Un·e habitant·e".into()),
            scope: Some("commune:97415".into()),
            commune_code: None,
        }
    }

    #[test]
    fn entries_are_escaped_and_the_feed_is_dated_by_the_newest() {
        let mut element = post("e_1", "", "2026-11-21T10:00:00Z");
        element.item_type = "element".into();
        element.slug = Some("jardin".into());
        element.name = Some("Jardin <partagé> & co".into());
        element.text = None;
        let items = [
            post(
                "s_1",
                "Marché <ce> dimanche & après",
                "2026-11-22T09:00:00Z",
            ),
            element,
        ];
        let xml = atom(
            &items,
            "https://x.fr",
            "https://x.fr/api/live.atom?scope=commune:97415",
            "Le Live : Saint-Paul",
            0,
        );
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\""
        ));
        assert!(xml.contains("<updated>2026-11-22T09:00:00Z</updated>"));
        assert!(
            xml.contains("<content type=\"text\">Marché &lt;ce&gt; dimanche &amp; après</content>")
        );
        assert!(xml.contains("<title>Nouveau : Jardin &lt;partagé&gt; &amp; co</title>"));
        assert!(xml.contains("<link href=\"https://x.fr/e/jardin/\"/>"));
        assert_eq!(xml.matches("<entry>").count(), 2);
    }
}
