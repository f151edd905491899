//! Rules of the catalog group "Clusters and domains".

use super::Diagnostic;
use crate::model::Design;

pub(super) fn check(design: &Design, out: &mut Vec<Diagnostic>) {
    let _ = (design, out);
}
