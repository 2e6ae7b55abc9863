//! The outline: which subtrees are collapsed, so which nodes are visible.

use super::*;

impl TreePlot {
    /// Collapses or expands node `i`'s subtree; false if it has no children.
    pub fn toggle(&mut self, i: usize) -> bool {
        if i >= self.tree.len() || self.tree.is_leaf(i) {
            return false;
        }
        self.collapsed[i] = !self.collapsed[i];
        self.relayout();
        true
    }

    /// Whether node `i` is collapsed.
    pub fn is_collapsed(&self, i: usize) -> bool {
        self.collapsed.get(i).copied().unwrap_or(false)
    }

    /// Expands everything.
    pub fn expand_all(&mut self) {
        self.collapsed.iter_mut().for_each(|c| *c = false);
        self.relayout();
    }
}
