//! The main navigation, shared by every page.

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

const ITEMS: [(&str, &str); 9] = [
    ("/", "Accueil"),
    ("/recherche", "Rechercher"),
    ("/referencer/", "Référencer"),
    ("/carte/", "Carte"),
    ("/agenda/", "Agenda"),
    ("/live/", "Le Live"),
    ("/financer/", "Financer"),
    ("/cooperation/instance/", "Décider"),
    ("/donnees/", "Données ouvertes"),
];

/// The navigation with `current` marking the page being shown (announced as `aria-current`).
pub fn items(current: &str) -> Vec<NavItem> {
    ITEMS
        .iter()
        .map(|&(href, label)| NavItem {
            href,
            label,
            current: href == current,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_only_the_current_page() {
        let items = super::items("/donnees/");
        let current: Vec<&str> = items.iter().filter(|i| i.current).map(|i| i.href).collect();
        assert_eq!(current, ["/donnees/"]);
    }
}
