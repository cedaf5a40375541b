//! An order-statistic set over the positions `0..n` of a list: "which position is the k-th one
//! still in the set" and "take it out" in O(log n) each, built in O(n). It replaces RFC 3797's
//! "remove the picked entry from the list" (O(n) per pick), so a pool of a million entries is
//! drawn from in milliseconds.
//!
//! A Fenwick (binary indexed) tree over 0/1 presence flags; the k-th present position is found by
//! binary lifting: walk down the powers of two, skipping every block whose count is ≤ the number
//! of present positions still to be passed.

/// The positions of a list that have not been picked yet.
#[derive(Debug, Clone)]
pub struct Remaining {
    /// 1-based Fenwick tree: `tree[i]` counts the present positions in `(i - lowbit(i), i]`.
    tree: Vec<u32>,
    present: Vec<bool>,
    len: usize,
    /// The largest power of two ≤ the list's length (0 for an empty list).
    top: usize,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl Remaining {
    /// All `n` positions present. `n` may not exceed `u32::MAX`.
    pub fn full(n: usize) -> Self {
        assert!(u32::try_from(n).is_ok(), "a list of at most u32::MAX entries");
        // With every flag set, the block (i - lowbit(i), i] holds exactly lowbit(i) positions.
        let mut tree = vec![0u32; n + 1];
        for (i, slot) in tree.iter_mut().enumerate().skip(1) {
            *slot = lowbit(i) as u32;
        }
        let top = if n == 0 { 0 } else { 1usize << (usize::BITS - 1 - n.leading_zeros()) };
        Self { tree, present: vec![true; n], len: n, top }
    }

    /// How many positions are still present.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size of the underlying list (present or not).
    pub fn capacity(&self) -> usize {
        self.present.len()
    }

    pub fn contains(&self, position: usize) -> bool {
        self.present.get(position).copied().unwrap_or(false)
    }

    /// The position of the `k`-th (0-based) present entry, in list order.
    ///
    /// # Panics
    /// When `k >= self.len()`.
    pub fn kth(&self, k: usize) -> usize {
        assert!(k < self.len, "k-th of the remaining entries out of range");
        let n = self.present.len();
        let mut pos = 0usize;
        let mut left = k as u32;
        let mut step = self.top;
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= left {
                pos = next;
                left -= self.tree[next];
            }
            step >>= 1;
        }
        // `pos` (1-based) is the last index whose prefix count is ≤ k, so the entry sought is the
        // next one: 1-based pos + 1, i.e. 0-based pos.
        pos
    }

    /// Takes the position out; returns whether it was present.
    pub fn remove(&mut self, position: usize) -> bool {
        if !self.contains(position) {
            return false;
        }
        self.present[position] = false;
        self.len -= 1;
        let mut i = position + 1;
        while i < self.tree.len() {
            self.tree[i] -= 1;
            i += lowbit(i);
        }
        true
    }

    /// Puts the position back; returns whether it was absent.
    pub fn insert(&mut self, position: usize) -> bool {
        if position >= self.present.len() || self.present[position] {
            return false;
        }
        self.present[position] = true;
        self.len += 1;
        let mut i = position + 1;
        while i < self.tree.len() {
            self.tree[i] += 1;
            i += lowbit(i);
        }
        true
    }

    /// Finds the `k`-th present position and takes it out.
    pub fn take(&mut self, k: usize) -> usize {
        let position = self.kth(k);
        self.remove(position);
        position
    }
}

#[cfg(test)]
mod tests {
    use super::Remaining;

    #[test]
    fn kth_follows_removals_and_insertions() {
        let mut r = Remaining::full(10);
        assert_eq!((0..10).map(|k| r.kth(k)).collect::<Vec<_>>(), (0..10).collect::<Vec<_>>());
        assert!(r.remove(0) && r.remove(5) && r.remove(9));
        assert!(!r.remove(5), "already out");
        assert_eq!((0..r.len()).map(|k| r.kth(k)).collect::<Vec<_>>(), vec![1, 2, 3, 4, 6, 7, 8]);
        assert!(r.insert(5));
        assert_eq!(r.take(4), 5);
        assert_eq!(r.len(), 7);
        assert!(Remaining::full(0).is_empty());
        let mut one = Remaining::full(1);
        assert_eq!(one.take(0), 0);
        assert!(one.is_empty());
    }
}
