//! The document the designer edits: a design and its undo/redo history.
//!
//! Every change is a `Command`; executing one pushes its inverse on the undo stack and clears
//! redo; undo applies the inverse and pushes the inverse's inverse on redo. Selection and view
//! are not part of the document and never become steps.

use super::command::{Command, CommandError};
use super::topology::Design;

/// A design with its history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    design: Design,
    undo: Vec<Command>,
    redo: Vec<Command>,
}

impl Document {
    /// A document with an empty history.
    pub fn new(design: Design) -> Self {
        Self { design, undo: Vec::new(), redo: Vec::new() }
    }

    pub fn design(&self) -> &Design {
        &self.design
    }

    /// Applies `command` as one undoable step; on error nothing changes.
    pub fn execute(&mut self, command: Command) -> Result<(), CommandError> {
        let inverse = command.apply(&mut self.design)?;
        self.undo.push(inverse);
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last step; false when there is none.
    pub fn undo(&mut self) -> bool {
        Self::step(&mut self.design, &mut self.undo, &mut self.redo)
    }

    /// Redoes the last undone step; false when there is none.
    pub fn redo(&mut self) -> bool {
        Self::step(&mut self.design, &mut self.redo, &mut self.undo)
    }

    fn step(design: &mut Design, from: &mut Vec<Command>, to: &mut Vec<Command>) -> bool {
        let Some(command) = from.pop() else { return false };
        match command.apply(design) {
            Ok(inverse) => {
                to.push(inverse);
                true
            }
            // An inverse that no longer applies would mean a bug in a command's inverse; the
            // history is dropped rather than left inconsistent.
            Err(_) => {
                from.clear();
                to.clear();
                false
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster::Role;
    use crate::model::edit::{self, CopyKind};
    use crate::model::example::guide_corrected;
    use crate::model::geometry::Point;
    use crate::model::ids::{ClusterId, StreamId};
    use proptest::prelude::*;
    use proptest::sample::Index;

    /// An edit as the proptest draws it: elements are picked by index among those that exist
    /// when it runs, so every sequence means something whatever came before.
    #[derive(Clone, Debug)]
    enum Step {
        AddCluster(Role, i16, i16),
        AddStream(Index),
        Remove(Vec<Index>, Vec<Index>),
        Move(Vec<(Index, i16, i16)>),
        ConnectLeafnode(Index, Index),
        ConnectStreams(Index, Index, bool),
        SetStreamCluster(Index, Index),
        SetCluster(Index, u8, bool),
        Undo,
        Redo,
    }

    fn step() -> impl Strategy<Value = Step> {
        let role = prop_oneof![Just(Role::Hub), Just(Role::Spoke), Just(Role::Standalone)];
        let few = |n| proptest::collection::vec(any::<Index>(), 0..n);
        prop_oneof![
            2 => (role, any::<i16>(), any::<i16>()).prop_map(|(r, x, y)| Step::AddCluster(r, x, y)),
            2 => any::<Index>().prop_map(Step::AddStream),
            2 => (few(2), few(3)).prop_map(|(c, s)| Step::Remove(c, s)),
            1 => proptest::collection::vec((any::<Index>(), any::<i16>(), any::<i16>()), 1..4).prop_map(Step::Move),
            2 => (any::<Index>(), any::<Index>()).prop_map(|(f, t)| Step::ConnectLeafnode(f, t)),
            3 => (any::<Index>(), any::<Index>(), any::<bool>()).prop_map(|(o, c, m)| Step::ConnectStreams(o, c, m)),
            1 => (any::<Index>(), any::<Index>()).prop_map(|(s, c)| Step::SetStreamCluster(s, c)),
            1 => (any::<Index>(), 1..6u8, any::<bool>()).prop_map(|(c, n, d)| Step::SetCluster(c, n, d)),
            1 => Just(Step::Undo),
            1 => Just(Step::Redo),
        ]
    }

    fn pick_cluster(d: &Design, i: &Index) -> Option<ClusterId> {
        let ids: Vec<ClusterId> = d.clusters().map(|(id, _)| id).collect();
        (!ids.is_empty()).then(|| ids[i.index(ids.len())])
    }

    fn pick_stream(d: &Design, i: &Index) -> Option<StreamId> {
        let ids: Vec<StreamId> = d.streams().map(|s| s.id).collect();
        (!ids.is_empty()).then(|| ids[i.index(ids.len())])
    }

    /// The command a step stands for in `d`, if the design has what it needs.
    fn command(d: &Design, step: &Step) -> Option<Command> {
        Some(match step {
            Step::AddCluster(role, x, y) => Command::AddCluster {
                cluster: Box::new(edit::new_cluster(d, *role, Point::new(f64::from(*x), f64::from(*y)))),
            },
            Step::AddStream(c) => {
                let cluster = pick_cluster(d, c)?;
                let config = Box::new(edit::new_stream(d, cluster));
                Command::AddStream { cluster, account: edit::default_account(d, cluster), config }
            }
            Step::Remove(clusters, streams) => Command::RemoveElements {
                clusters: clusters.iter().filter_map(|i| pick_cluster(d, i)).collect(),
                streams: streams.iter().filter_map(|i| pick_stream(d, i)).collect(),
            },
            Step::Move(moves) => Command::MoveClusters {
                moves: moves
                    .iter()
                    .filter_map(|(i, x, y)| Some((pick_cluster(d, i)?, Point::new(f64::from(*x), f64::from(*y)))))
                    .collect(),
            },
            Step::ConnectLeafnode(from, to) => {
                Command::ConnectLeafnode { from: pick_cluster(d, from)?, to: pick_cluster(d, to)?, accounts: None }
            }
            Step::ConnectStreams(origin, copy, mirror) => Command::ConnectStreams {
                origin: pick_stream(d, origin)?,
                copy: pick_stream(d, copy)?,
                kind: if *mirror { CopyKind::Mirror } else { CopyKind::Source },
            },
            Step::SetStreamCluster(s, c) => {
                Command::SetStreamCluster { stream: pick_stream(d, s)?, cluster: pick_cluster(d, c)? }
            }
            Step::SetCluster(c, servers, rename_domain) => {
                let cluster = pick_cluster(d, c)?;
                let mut value = d.cluster(cluster)?.clone();
                value.servers = *servers;
                if *rename_domain {
                    value.domain = edit::unique_domain(d, "renamed");
                }
                Command::SetCluster { cluster, value: Box::new(value) }
            }
            Step::Undo | Step::Redo => return None,
        })
    }

    /// Runs `steps` on `original`, checking after each one that the document shows the design
    /// of its place in the history; then undoes every step back to `original` and redoes them all.
    fn check(original: Design, steps: &[Step]) -> Result<(), TestCaseError> {
        let mut doc = Document::new(original.clone());
        // The designs of the history line, and where the document is on it.
        let mut line = vec![original.clone()];
        let mut at: usize = 0;
        for step in steps {
            match step {
                Step::Undo => {
                    prop_assert_eq!(doc.undo(), at > 0);
                    at = at.saturating_sub(1);
                }
                Step::Redo => {
                    prop_assert_eq!(doc.redo(), at + 1 < line.len());
                    at = (at + 1).min(line.len() - 1);
                }
                _ => {
                    let Some(command) = command(doc.design(), step) else { continue };
                    let before = doc.design().clone();
                    if doc.execute(command).is_ok() {
                        line.truncate(at + 1);
                        line.push(doc.design().clone());
                        at += 1;
                    } else {
                        prop_assert_eq!(doc.design(), &before, "a refused command changes nothing");
                    }
                }
            }
            prop_assert_eq!(doc.design(), &line[at]);
            prop_assert_eq!((doc.can_undo(), doc.can_redo()), (at > 0, at + 1 < line.len()));
        }
        while doc.undo() {
            at -= 1;
            prop_assert_eq!(doc.design(), &line[at]);
        }
        prop_assert_eq!(at, 0);
        prop_assert_eq!(doc.design(), &original);
        while doc.redo() {
            at += 1;
            prop_assert_eq!(doc.design(), &line[at]);
        }
        prop_assert_eq!(doc.design(), line.last().expect("the line starts with the original"));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn undoing_every_step_gives_the_original_and_redoing_them_the_final_design(
            steps in proptest::collection::vec(step(), 1..40),
        ) {
            check(guide_corrected(), &steps)?;
        }

        /// Arbitrary designs have what the example lacks: duplicate names and domains, origins
        /// that resolve nowhere or to another stream than meant, remotes without targets.
        #[test]
        fn undo_and_redo_are_exact_on_arbitrary_designs(
            original in crate::model::arbitrary::design(),
            steps in proptest::collection::vec(step(), 1..20),
        ) {
            check(original, &steps)?;
        }
    }

    #[test]
    fn a_new_step_after_undo_drops_the_redo_steps() {
        let mut doc = Document::new(guide_corrected());
        let hub = doc.design().clusters().next().map(|(id, _)| id).expect("the example has a hub");
        doc.execute(Command::MoveClusters { moves: vec![(hub, Point::new(1.0, 1.0))] }).unwrap();
        assert!(doc.undo());
        assert!(doc.can_redo());
        doc.execute(Command::MoveClusters { moves: vec![(hub, Point::new(2.0, 2.0))] }).unwrap();
        assert!(!doc.can_redo() && !doc.redo());
        assert!(doc.undo() && !doc.undo());
        assert_eq!(doc.design(), &guide_corrected());
    }
}
