//! Counted words as people read them: "1 error", "2 errors".

/// `n` and `word`, with an `s` unless `n` is 1. For the regular English plurals the designer
/// uses (error, warning, file, cluster, stream, source, remote, problem).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(plural(2, "source"), "2 sources");
    }
}
