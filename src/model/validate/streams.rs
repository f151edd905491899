//! Rules of the catalog group "One stream (mirrors the server's own checks)".

use super::Diagnostic;
use crate::model::Design;

pub fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    let _ = (design, out);
}
