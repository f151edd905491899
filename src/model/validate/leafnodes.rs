//! Rules of the catalog group "Leafnodes, accounts, credentials".

use super::Diagnostic;
use crate::model::Design;

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    let _ = (design, out);
}
