//! The reporting tree from manager ids: who reports to whom, layers from
//! the top, and what keeps it from being one tree (cycles, managers not in
//! the export, people who manage themselves, several tops).

use std::collections::HashMap;

use crate::people::Person;

/// The reporting lines of an organisation, by index into its people.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Each person's manager. Cut for the people who break the tree: the
    /// top of a tree, a self-manager, an orphan and the cut member of a
    /// cycle have none.
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    /// Layer from the top: the top of a tree is layer 1.
    pub layer: Vec<u32>,
    /// People with no manager in the export, in file order (including the
    /// orphans, self-managers and cut cycle members).
    pub roots: Vec<usize>,
    /// People whose manager id names themselves.
    pub self_managers: Vec<usize>,
    /// People whose manager id matches nobody.
    pub orphans: Vec<usize>,
    /// Reporting loops, each from the member cut to make it a tree.
    pub cycles: Vec<Vec<usize>>,
    /// Everyone, breadth first from the tops: managers before their
    /// reports (reversed, reports before their managers).
    pub top_down: Vec<usize>,
}

impl Tree {
    pub fn build(people: &[Person]) -> Tree {
        let n = people.len();
        let by_id: HashMap<&str, usize> = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut tree = Tree {
            parent: vec![None; n],
            children: vec![Vec::new(); n],
            layer: vec![0; n],
            ..Tree::default()
        };
        for (i, person) in people.iter().enumerate() {
            if person.manager.is_empty() {
                continue;
            }
            if person.manager == person.id {
                tree.self_managers.push(i);
                continue;
            }
            match by_id.get(person.manager.as_str()) {
                Some(&m) => tree.parent[i] = Some(m),
                None => tree.orphans.push(i),
            }
        }
        tree.cut_cycles();
        for i in 0..n {
            match tree.parent[i] {
                Some(m) => tree.children[m].push(i),
                None => tree.roots.push(i),
            }
        }
        // Layers top-down, breadth first, without recursion: a chain of
        // 100,000 managers must not overflow the stack.
        // The order itself is the queue.
        let mut order: Vec<usize> = tree.roots.clone();
        for &root in &tree.roots {
            tree.layer[root] = 1;
        }
        let mut next = 0;
        while let Some(&at) = order.get(next) {
            next += 1;
            for &child in &tree.children[at] {
                tree.layer[child] = tree.layer[at] + 1;
                order.push(child);
            }
        }
        tree.top_down = order;
        tree
    }

    /// Each person has at most one manager, so a loop is found by walking
    /// up from every person once; the first person of a loop in file order
    /// loses their manager link.
    fn cut_cycles(&mut self) {
        const UNSEEN: u32 = u32::MAX;
        let n = self.parent.len();
        // The walk that first reached a person; a walk that meets its own
        // number again has gone round a loop.
        let mut walk_of = vec![UNSEEN; n];
        for start in 0..n {
            if walk_of[start] != UNSEEN {
                continue;
            }
            let walk = start as u32;
            let mut at = start;
            loop {
                walk_of[at] = walk;
                match self.parent[at] {
                    None => break,
                    Some(next) if walk_of[next] == UNSEEN => at = next,
                    Some(next) if walk_of[next] == walk => {
                        let mut members = vec![next];
                        let mut m = self.parent[next];
                        while let Some(member) = m {
                            if member == next {
                                break;
                            }
                            members.push(member);
                            m = self.parent[member];
                        }
                        let first = (0..members.len()).min_by_key(|&i| members[i]).unwrap_or(0);
                        members.rotate_left(first);
                        self.parent[members[0]] = None;
                        self.cycles.push(members);
                        break;
                    }
                    Some(_) => break,
                }
            }
        }
    }

    /// Everyone below `at`, at any depth, not including `at`.
    pub fn below(&self, at: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = self.children[at].clone();
        while let Some(next) = stack.pop() {
            out.push(next);
            stack.extend_from_slice(&self.children[next]);
        }
        out
    }

    /// The managers above `at`, nearest first.
    pub fn above(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent[at], |&p| self.parent[p])
    }

    /// How many people are in the tree below each person (their whole
    /// line), computed once bottom-up.
    pub fn line_sizes(&self) -> Vec<usize> {
        let mut size = vec![0usize; self.parent.len()];
        for &at in self.top_down.iter().rev() {
            if let Some(p) = self.parent[at] {
                size[p] += size[at] + 1;
            }
        }
        size
    }

    pub fn layers(&self) -> u32 {
        self.layer.iter().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, manager: &str) -> Person {
        Person {
            line: 0,
            id: id.into(),
            name: String::new(),
            email: String::new(),
            title: String::new(),
            manager: manager.into(),
            department: String::new(),
            location: String::new(),
            start_date: None,
        }
    }

    #[test]
    fn breaks_are_found_and_layers_counted() {
        let people = [
            person("ceo", ""),
            person("a", "ceo"),
            person("b", "a"),
            person("self", "self"),
            person("lost", "nobody"),
            person("x", "z"),
            person("y", "x"),
            person("z", "y"),
            person("under-loop", "x"),
        ];
        let tree = Tree::build(&people);
        assert_eq!(tree.self_managers, [3]);
        assert_eq!(tree.orphans, [4]);
        assert_eq!(tree.cycles, [vec![5, 7, 6]]);
        assert_eq!(tree.roots, [0, 3, 4, 5]);
        assert_eq!(tree.layer, [1, 2, 3, 1, 1, 1, 2, 3, 2]);
        assert_eq!(tree.line_sizes()[0], 2);
        assert_eq!(tree.line_sizes()[5], 3);
        assert_eq!(tree.above(2).collect::<Vec<_>>(), [1, 0]);
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let people: Vec<Person> = (0..200_000)
            .map(|i| {
                person(
                    &i.to_string(),
                    &if i == 0 {
                        String::new()
                    } else {
                        (i - 1).to_string()
                    },
                )
            })
            .collect();
        let tree = Tree::build(&people);
        assert_eq!(tree.layers(), 200_000);
        assert_eq!(tree.line_sizes()[0], 199_999);
    }
}
