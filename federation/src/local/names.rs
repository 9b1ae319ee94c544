//! Name and text rules for local users and channels (PeerTube's validators).

/// Usernames: 1–50 characters of `a-z 0-9 . _`.
pub fn is_valid_username(name: &str) -> bool {
    (1..=50).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
}

/// Channel names: 1–50 characters of `a-z A-Z 0-9 - _ . :`.
pub fn is_valid_channel_name(name: &str) -> bool {
    (1..=50).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Display names of accounts and channels: 1–120 characters.
pub fn is_valid_display_name(name: &str) -> bool {
    (1..=120).contains(&name.chars().count())
}

/// Account and channel descriptions: 3–1000 characters.
pub fn is_valid_description(text: &str) -> bool {
    (3..=1000).contains(&text.chars().count())
}

/// Channel support text: 3–1000 characters.
pub fn is_valid_support(text: &str) -> bool {
    (3..=1000).contains(&text.chars().count())
}

/// Passwords: 6–255 characters.
pub fn is_valid_password(password: &str) -> bool {
    (6..=255).contains(&password.chars().count())
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the domain.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(is_valid_username("alice_2.x"));
        assert!(!is_valid_username("Alice"));
        assert!(!is_valid_username(""));
        assert!(!is_valid_username("a-b"));
        assert!(!is_valid_username(&"a".repeat(51)));
    }

    #[test]
    fn channel_names() {
        assert!(is_valid_channel_name("Alice-Videos_1.x:y"));
        assert!(!is_valid_channel_name("alice videos"));
    }

    #[test]
    fn emails() {
        assert!(is_valid_email("alice@example.com"));
        assert!(!is_valid_email("alice"));
        assert!(!is_valid_email("alice@localhost"));
        assert!(!is_valid_email("a b@example.com"));
    }
}
