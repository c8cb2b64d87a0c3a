//! One view model per page template.

use crate::Rendered;
use crate::nav::{self, NavItem};
use askama::Template;

#[derive(Template)]
#[template(path = "home.html")]
pub struct Home {
    pub nav: Vec<NavItem>,
}

#[derive(Template)]
#[template(path = "open_data.html")]
pub struct OpenData {
    pub nav: Vec<NavItem>,
}

#[derive(Template)]
#[template(path = "not_found.html")]
pub struct NotFound {
    pub nav: Vec<NavItem>,
}

/// Every page the static build writes.
pub fn all() -> askama::Result<Vec<Rendered>> {
    Ok(vec![
        Rendered {
            file: "index.html",
            html: Home {
                nav: nav::items("/"),
            }
            .render()?,
        },
        Rendered {
            file: "donnees/index.html",
            html: OpenData {
                nav: nav::items("/donnees/"),
            }
            .render()?,
        },
        Rendered {
            file: "404.html",
            html: NotFound {
                nav: nav::items(""),
            }
            .render()?,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(file: &str) -> String {
        all()
            .unwrap()
            .into_iter()
            .find(|p| p.file == file)
            .unwrap()
            .html
    }

    #[test]
    fn every_page_is_french_with_landmarks_and_no_inline_script() {
        for rendered in all().unwrap() {
            let html = &rendered.html;
            assert!(html.contains(r#"<html lang="fr">"#), "{}", rendered.file);
            for landmark in ["<header", "<nav", "<main", "<footer", "<h1"] {
                assert!(
                    html.contains(landmark),
                    "{} lacks {landmark}",
                    rendered.file
                );
            }
            // Every <script> must load a file: the CSP forbids inline code.
            for tag in html.split("<script").skip(1) {
                assert!(
                    tag.trim_start().contains("src=\"/assets/"),
                    "{}",
                    rendered.file
                );
            }
            assert!(
                !html.contains("style=\""),
                "{} has an inline style",
                rendered.file
            );
        }
    }

    #[test]
    fn home_loads_the_health_island() {
        let home = page("index.html");
        assert!(home.contains(r#"src="/assets/js/health.js""#));
        assert!(home.contains(r#"data-island="health""#));
        assert!(home.contains(r#"aria-current="page""#));
    }
}
