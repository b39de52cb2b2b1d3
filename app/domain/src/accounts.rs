//! Account input, validated at construction: an e-mail address, a display name, a password.
//!
//! `parse` returns the value or a message written for the person filling in the form.

/// A normalised e-mail address: trimmed, with a lower-case domain and at most 254 characters.
/// The local part keeps its case (RFC 5321), but accounts are looked up by [`Email::key`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("Enter your e-mail address.");
        }
        if s.chars().count() > 254 {
            return Err("An e-mail address has at most 254 characters.");
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err("Enter an e-mail address like name@example.org.");
        };
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c);
        if local.is_empty()
            || local.len() > 64
            || local.chars().any(|c| bad_char(c) || c == '@')
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err("Enter an e-mail address like name@example.org.");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.len() > 63
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
        {
            return Err("Enter an e-mail address like name@example.org.");
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form accounts are stored and looked up by: all lower case, so that
    /// `Trine@Example.org` and `trine@example.org` are one account.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A person's name as shown on badges and lists: 1 to 120 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, &'static str> {
        let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err("Enter your name.");
        }
        if s.chars().count() > 120 {
            return Err("A name has at most 120 characters.");
        }
        if s.chars().any(char::is_control) {
            return Err("A name cannot contain control characters.");
        }
        Ok(PersonName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least 10 and at most 128 characters, not only spaces.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(input: &str) -> Result<NewPassword, &'static str> {
        let n = input.chars().count();
        if n < Self::MIN {
            return Err("Choose a password of at least 10 characters.");
        }
        if n > Self::MAX {
            return Err("A password has at most 128 characters.");
        }
        if input.trim().is_empty() {
            return Err("A password cannot be only spaces.");
        }
        Ok(NewPassword(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// `text` with every secret a link carries masked: any run of 32 or more hexadecimal digits
/// (tokens, reset and confirmation links, invitations, calendar addresses) becomes `••••••••`.
/// What is left shows that a message went out and to whom, not how to use it.
pub fn mask_secrets(text: &str) -> String {
    const MIN: usize = 32;
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= MIN {
            out.push_str("••••••••");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_links_are_masked() {
        let t = "open http://x/password/reset?token=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef now";
        assert_eq!(
            mask_secrets(t),
            "open http://x/password/reset?token=•••••••• now"
        );
        assert_eq!(mask_secrets("room 12, 2015-09-28"), "room 12, 2015-09-28");
    }
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_addresses_and_normalises_the_domain() {
        let e = Email::parse("  Trine.Knudsen@DFS.dk ").unwrap();
        assert_eq!(e.as_str(), "Trine.Knudsen@dfs.dk");
        assert_eq!(e.key(), "trine.knudsen@dfs.dk");
        assert!(Email::parse("a+tag@sub.example.org").is_ok());
        assert!(Email::parse("delegué@ministère.fr").is_ok());
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "@example.org",
            "a@",
            "a@localhost",
            "a@@example.org",
            "a b@example.org",
            "a@exa mple.org",
            "a@-example.org",
            "a@example..org",
            ".a@example.org",
            "a..b@example.org",
            "<script>@x.org",
            "a@example.org\n",
        ] {
            // a trailing newline is trimmed, so that one is fine
            if bad == "a@example.org\n" {
                assert!(Email::parse(bad).is_ok());
                continue;
            }
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("  Trine   Bendix Knudsen ")
                .unwrap()
                .as_str(),
            "Trine Bendix Knudsen"
        );
        assert!(PersonName::parse("").is_err());
        assert!(PersonName::parse(&"x".repeat(121)).is_err());
        assert!(PersonName::parse(&"x".repeat(120)).is_ok());
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("          ").is_err());
        assert!(NewPassword::parse("correct horse").is_ok());
        assert!(NewPassword::parse(&"p".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", NewPassword::parse("secret-secret").unwrap()),
            "NewPassword(…)"
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_keys_are_idempotent(s in "\\PC{0,80}") {
            if let Ok(e) = Email::parse(&s) {
                let again = Email::parse(e.as_str()).unwrap();
                prop_assert_eq!(again.key(), e.key());
            }
            let _ = PersonName::parse(&s);
            let _ = NewPassword::parse(&s);
        }
    }
}
