//! The graph the community search works on at each level: nodes may stand for whole groups of original nodes
//! (after aggregation), so it carries each node's self-loop weight and total degree.

use super::Graph;

pub(crate) struct WorkGraph {
    pub(crate) offsets: Vec<usize>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Vec<f64>,
    /// Weight of the edges inside the group this node stands for, each counted once.
    pub(crate) loops: Vec<f64>,
    /// Weighted degree including the group's inner edges counted twice (so Σ degree = 2m at every level).
    pub(crate) degree: Vec<f64>,
}

impl WorkGraph {
    pub(crate) fn from_graph(graph: &Graph) -> Self {
        let (offsets, targets, weights) = graph.csr();
        Self {
            offsets: offsets.to_vec(),
            targets: targets.to_vec(),
            weights: weights.to_vec(),
            loops: vec![0.0; graph.node_count()],
            degree: graph.strengths().to_vec(),
        }
    }

    pub(crate) fn node_count(&self) -> usize {
        self.degree.len()
    }

    pub(crate) fn row(&self, v: usize) -> std::ops::Range<usize> {
        self.offsets[v]..self.offsets[v + 1]
    }

    /// Collapses each group (`group[v]` in `0..group_count`) into one node.
    pub(crate) fn aggregate(&self, group: &[u32], group_count: usize) -> Self {
        let n = self.node_count();
        // Members of each group, by counting sort (keeps node order inside a group, so the result is deterministic).
        let mut start = vec![0usize; group_count + 1];
        for &g in group {
            start[g as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut cursor = start.clone();
        let mut members = vec![0u32; n];
        for (v, &g) in group.iter().enumerate() {
            members[cursor[g as usize]] = v as u32;
            cursor[g as usize] += 1;
        }

        let mut offsets = Vec::with_capacity(group_count + 1);
        offsets.push(0);
        let mut targets = Vec::new();
        let mut weights = Vec::new();
        let mut loops = vec![0.0; group_count];
        let mut degree = vec![0.0; group_count];
        let mut acc = vec![0.0f64; group_count];
        let mut touched: Vec<u32> = Vec::new();
        for c in 0..group_count {
            let mut inner_twice = 0.0;
            for &v in &members[start[c]..start[c + 1]] {
                let v = v as usize;
                loops[c] += self.loops[v];
                degree[c] += self.degree[v];
                for e in self.row(v) {
                    let d = group[self.targets[e] as usize];
                    if d as usize == c {
                        inner_twice += self.weights[e];
                    } else {
                        if acc[d as usize] == 0.0 {
                            touched.push(d);
                        }
                        acc[d as usize] += self.weights[e];
                    }
                }
            }
            loops[c] += inner_twice / 2.0;
            for &d in &touched {
                targets.push(d);
                weights.push(acc[d as usize]);
                acc[d as usize] = 0.0;
            }
            touched.clear();
            offsets.push(targets.len());
        }
        Self {
            offsets,
            targets,
            weights,
            loops,
            degree,
        }
    }
}
