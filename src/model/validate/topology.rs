//! Rules of the catalog group "Streams across the topology (what no server checks)".

use super::Diagnostic;
use crate::model::Design;

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    let _ = (design, out);
}
