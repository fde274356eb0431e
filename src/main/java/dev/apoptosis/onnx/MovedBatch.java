package dev.apoptosis.onnx;

import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.Permute;
import dev.apoptosis.onnx.OnnxImport.Unsupported;
import dev.apoptosis.onnx.Val.Act;
import dev.apoptosis.onnx.Val.Moved;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The layout algebra of {@link Moved} views: what Transpose, Reshape and Shape do to an activation
 * whose batch axis is not first or is merged with other axes. A view is the atom sequence
 * s[0..k), N, s[k..) cut into consecutive groups (the ONNX axes). Transpose permutes groups — the
 * engine node's sample axes are permuted (a Permute node) and N's position follows. Reshape only
 * merges consecutive atoms and splits sample atoms (never N, whose size is unknown): the ONNX
 * target shape, whose batch-dependent entry is NaN after constant folding, says which. The result is
 * brought back to a plain {@link Act} as soon as N stands alone first again.
 */
final class MovedBatch {
    private MovedBatch() {}

    /** A batch-first activation as a view with every axis its own group. */
    static Moved of(Act a) {
        int[] groups = new int[a.shape().length + 1];
        Arrays.fill(groups, 1);
        return new Moved(a.node(), a.shape(), 0, groups);
    }

    /** Atom sizes, -1 for N. */
    private static long[] atoms(Moved m) {
        long[] a = new long[m.s().length + 1];
        for (int i = 0, j = 0; i < a.length; i++) a[i] = i == m.k() ? -1 : m.s()[j++];
        return a;
    }

    /** The ONNX shape: per group the product of its atoms, NaN for the group holding N. */
    static double[] logicalShape(Moved m) {
        long[] a = atoms(m);
        double[] shape = new double[m.groups().length];
        int at = 0;
        for (int g = 0; g < shape.length; g++) {
            double p = 1;
            for (int i = 0; i < m.groups()[g]; i++, at++) p = a[at] < 0 ? Double.NaN : p * a[at];
            shape[g] = p;
        }
        return shape;
    }

    /** Merges consecutive sample atoms within each group; returns a plain Act when N stands alone first. */
    static Val simplify(Moved m) {
        long[] a = atoms(m);
        List<Long> atoms = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        int at = 0;
        for (int g : m.groups()) {
            int count = 0;
            for (int i = 0; i < g; i++, at++) {
                boolean merge = count > 0 && a[at] >= 0 && atoms.get(atoms.size() - 1) >= 0;
                if (merge) atoms.set(atoms.size() - 1, atoms.get(atoms.size() - 1) * a[at]);
                else {
                    atoms.add(a[at]);
                    count++;
                }
            }
            groups.add(count);
        }
        int k = atoms.indexOf(-1L);
        int[] s = new int[atoms.size() - 1];
        for (int i = 0, j = 0; i < atoms.size(); i++) if (i != k) s[j++] = (int) (long) atoms.get(i);
        int[] gs = groups.stream().mapToInt(Integer::intValue).toArray();
        if (k == 0 && gs[0] == 1) {
            int[] shape = new int[gs.length - 1];
            int j = 0;
            for (int g = 1; g < gs.length; g++) {
                int p = 1;
                for (int i = 0; i < gs[g]; i++) p *= s[j++];
                shape[g - 1] = p;
            }
            return new Act(m.node(), shape);
        }
        return new Moved(m.node(), s, k, gs);
    }

    /** ONNX Transpose by {@code perm} over the groups: the sample atoms are permuted by a Permute node when their order changes. */
    static Val transpose(OnnxImport imp, Moved m, long[] perm, String label) {
        int[] gs = m.groups();
        if (perm.length != gs.length) throw new Unsupported("perm " + Arrays.toString(perm) + " for rank " + gs.length);
        int[] start = new int[gs.length];
        for (int g = 1; g < gs.length; g++) start[g] = start[g - 1] + gs[g - 1];
        List<Integer> order = new ArrayList<>();
        int[] newGroups = new int[gs.length];
        boolean[] seen = new boolean[gs.length];
        for (int i = 0; i < perm.length; i++) {
            int g = Consts.axis(perm[i], gs.length, "Transpose");
            if (seen[g]) throw new Unsupported("perm " + Arrays.toString(perm) + " repeats an axis");
            seen[g] = true;
            newGroups[i] = gs[g];
            for (int j = 0; j < gs[g]; j++) order.add(start[g] + j);
        }
        // order lists old atom indices; the sample permutation skips N (atom k)
        int newK = order.indexOf(m.k());
        int[] sPerm = new int[m.s().length];
        int j = 0;
        boolean identity = true;
        for (int atom : order) {
            if (atom == m.k()) continue;
            sPerm[j] = atom < m.k() ? atom : atom - 1;
            identity &= sPerm[j] == j;
            j++;
        }
        Node node = m.node();
        int[] s = m.s();
        if (!identity) {
            node = imp.add(label, new Permute(sPerm), imp.node(new Act(m.node(), m.s()), label));
            s = node.outputShape();
        }
        return simplify(new Moved(node, s, newK, newGroups));
    }

    /**
     * ONNX Reshape to {@code target} (NaN: the entry that depends on the batch, exactly one; 0 copies
     * the input's entry). Sample atoms are split where a target entry needs part of one; N must fall
     * in the NaN entry, together with whatever sample factor the sizes leave for it.
     */
    static Val reshape(Moved m, double[] target, boolean allowZero) {
        double[] in = logicalShape(m);
        double[] t = target.clone();
        for (int i = 0; i < t.length; i++) {
            if (t[i] == 0 && !allowZero) {
                if (i >= in.length) throw new Unsupported("target entry " + i + " copies an axis the input does not have");
                t[i] = in[i];
            }
        }
        int nan = -1;
        long known = 1;
        for (int i = 0; i < t.length; i++) {
            if (Double.isNaN(t[i])) {
                if (nan >= 0) throw new Unsupported("two target entries depend on the batch size");
                nan = i;
            } else if (t[i] < 1 || t[i] != Math.rint(t[i])) {
                throw new Unsupported("target entry " + t[i] + " where the batch axis is moved");
            } else {
                known *= (long) t[i];
            }
        }
        if (nan < 0) throw new Unsupported("a reshape that fixes the batch size");
        long total = 1;
        for (int d : m.s()) total *= d;
        if (total % known != 0) throw new Unsupported("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
        long factor = total / known; // the sample part of the batch's entry
        List<Long> atoms = new ArrayList<>();
        for (long a : atoms(m)) atoms.add(a);
        List<Long> out = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < t.length; i++) {
            long need = i == nan ? factor : (long) t[i];
            boolean wantN = i == nan;
            int count = 0;
            while (need > 1 || wantN) {
                if (at >= atoms.size()) throw new Unsupported("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
                long a = atoms.get(at);
                if (a < 0) {
                    if (!wantN) throw new Unsupported("the batch would be split across target entries " + Arrays.toString(target));
                    out.add(a);
                    wantN = false;
                } else if (need % a == 0) {
                    out.add(a);
                    need /= a;
                } else if (need > 1 && a % need == 0) {
                    out.add(need);
                    atoms.set(at, a / need);
                    at--;
                    need = 1;
                } else {
                    throw new Unsupported("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target) + " without mixing the batch");
                }
                at++;
                count++;
            }
            if (count == 0) {
                out.add(1L); // a new axis of size 1
                count = 1;
            }
            groups.add(count);
        }
        while (at < atoms.size()) {
            if (atoms.get(at) != 1) throw new Unsupported("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
            out.add(1L);
            groups.set(groups.size() - 1, groups.get(groups.size() - 1) + 1);
            at++;
        }
        int k = out.indexOf(-1L);
        int[] s = new int[out.size() - 1];
        for (int i = 0, j = 0; i < out.size(); i++) if (i != k) s[j++] = (int) (long) out.get(i);
        return simplify(new Moved(m.node(), s, k, groups.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** True if the last ONNX axis is one sample atom (not the batch): per-row ops can run on the node. */
    static boolean lastAxisIsSample(Moved m) {
        int[] g = m.groups();
        return g[g.length - 1] == 1 && m.k() != m.s().length;
    }

    /** The node holding the view's sample atoms as its sample shape. */
    static Node node(OnnxImport imp, Moved m, String label) {
        return imp.node(new Act(m.node(), m.s()), label);
    }

    /** The view of {@code n}'s output, which has {@code m}'s atoms but for a new last one. */
    static Val withNode(Moved m, Node n) {
        return simplify(new Moved(n, n.outputShape(), m.k(), m.groups()));
    }
}
