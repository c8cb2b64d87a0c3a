//! The messages the product sends, in French.

/// One message, ready for whichever mailer the instance uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// The sign-in mail. The token rides in the link's fragment (`#jeton=`), which browsers never
/// send to a server, so it stays out of every access log.
pub fn sign_in(site: &str, to: &str, token: &str, code: &str, ttl_minutes: i64) -> Message {
    Message {
        to: to.to_string(),
        subject: format!("Votre connexion à Communs (code {code})"),
        body: format!(
            "Bonjour,\n\n\
             Pour vous connecter à Communs, ouvrez ce lien :\n{site}/connexion/#jeton={token}\n\n\
             ou saisissez ce code sur la page de connexion : {code}\n\n\
             Le lien et le code sont valables {ttl_minutes} minutes, une seule fois.\n\
             Si vous n’avez rien demandé, ignorez ce message : personne ne pourra se connecter sans lui.\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sign_in_mail_holds_the_link_and_the_code() {
        let message = super::sign_in("https://communs.example", "a@b.fr", "TOKEN", "ABCD2345", 15);
        assert_eq!(message.to, "a@b.fr");
        assert!(message.subject.contains("ABCD2345"));
        assert!(
            message
                .body
                .contains("https://communs.example/connexion/#jeton=TOKEN")
        );
        assert!(message.body.contains("15 minutes"));
    }
}
