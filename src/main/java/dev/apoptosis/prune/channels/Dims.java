package dev.apoptosis.prune.channels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The table of {@link Dim}s of one channel analysis and the algebra on them: creation, union,
 * splitting a leaf into factors, pinning (marking unprunable, with a reason), and the index maps
 * that turn "remove indices I of leaf class L" into the indices to remove along any axis.
 *
 * <p>Rules never compare Dims themselves; they call {@link #unify} to say "these axes are the same
 * index space" and {@link #regroup} to say "this sequence of axes is re-cut into these sizes"
 * (Reshape, Flatten, grouped convolutions). Whatever the analysis cannot express is pinned with the
 * node and the reason, so it can only make a group unprunable, never produce a broken model.
 */
public final class Dims {
    private final List<Dim> all = new ArrayList<>();

    /** A new leaf Dim. */
    public Dim create(int size, Dim.Role role, String origin) {
        if (size < 1) throw new IllegalArgumentException("dimension of size " + size + " at " + origin);
        Dim d = new Dim(all.size(), size, role, origin);
        all.add(d);
        return d;
    }

    /** A new Dim made of {@code parts} (row-major factors or consecutive ranges). */
    public Dim compose(Dim.Refinement kind, List<Dim> parts, String origin) {
        if (parts.size() == 1) return parts.get(0);
        long size = kind == Dim.Refinement.PRODUCT ? 1 : 0;
        Dim.Role role = Dim.Role.POSITION;
        for (Dim p : parts) {
            size = kind == Dim.Refinement.PRODUCT ? size * p.size : size + p.size;
            if (roleOf(p) == Dim.Role.CHANNEL) role = Dim.Role.CHANNEL;
        }
        if (parts.isEmpty()) size = 1;
        Dim d = create(Math.toIntExact(size), role, origin);
        if (!parts.isEmpty()) {
            d.refinement = kind;
            d.parts = List.copyOf(parts);
        }
        return d;
    }

    public List<Dim> all() {
        return all;
    }

    /** The class representative. */
    public Dim find(Dim d) {
        Dim r = d;
        while (r.parent != r) r = r.parent;
        while (d.parent != r) {
            Dim next = d.parent;
            d.parent = r;
            d = next;
        }
        return r;
    }

    public boolean isLeaf(Dim d) {
        return find(d).refinement == null;
    }

    public Dim.Role roleOf(Dim d) {
        return find(d).role;
    }

    /** The reason this leaf class cannot be pruned, or null. */
    public String pinOf(Dim d) {
        return find(d).pin;
    }

    public boolean mixedRoles(Dim d) {
        return find(d).mixedRoles;
    }

    /** Marks every leaf of {@code d} unprunable for {@code reason} (the first reason given stays). */
    public void pin(Dim d, String reason) {
        Dim r = find(d);
        if (r.refinement != null) {
            for (Dim p : r.parts) pin(p, reason);
        } else if (r.pin == null) {
            r.pin = reason;
        }
    }

    /**
     * Declares that a and b index the same things. Refined Dims are unified part by part, cutting
     * leaves further where one side is finer; a structure that cannot be aligned pins both sides.
     */
    public void unify(Dim a, Dim b, String site) {
        Dim ra = find(a), rb = find(b);
        if (ra == rb) return;
        if (ra.size != rb.size) {
            pin(ra, "sizes " + ra.size + " and " + rb.size + " meet at " + site);
            pin(rb, "sizes " + ra.size + " and " + rb.size + " meet at " + site);
            return;
        }
        if (ra.refinement == null && rb.refinement == null) {
            link(rb, ra);
            return;
        }
        if (ra.refinement == Dim.Refinement.SUM || rb.refinement == Dim.Refinement.SUM) {
            if (ra.refinement == rb.refinement && sameSizes(ra.parts, rb.parts)) {
                List<Dim> pa = ra.parts, pb = rb.parts;
                link(rb, ra);
                for (int i = 0; i < pa.size(); i++) unify(pa.get(i), pb.get(i), site);
            } else if (ra.refinement == null || rb.refinement == null) {
                // A leaf meets a concatenation: the leaf takes the same cut.
                Dim leaf = ra.refinement == null ? ra : rb, cut = leaf == ra ? rb : ra;
                List<Dim> parts = new ArrayList<>();
                for (Dim p : cut.parts) parts.add(create(p.size, leaf.role, leaf.origin + " [part]"));
                refine(leaf, Dim.Refinement.SUM, parts);
                unify(leaf, cut, site);
            } else {
                pin(ra, "channel ranges that do not line up meet at " + site);
                pin(rb, "channel ranges that do not line up meet at " + site);
                link(rb, ra);
            }
            return;
        }
        List<Dim> fa = factors(ra), fb = factors(rb);
        if (!alignFactors(fa, fb, site)) {
            pin(ra, "axes cut in incompatible ways meet at " + site);
            pin(rb, "axes cut in incompatible ways meet at " + site);
        }
    }

    private static boolean sameSizes(List<Dim> a, List<Dim> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i).size != b.get(i).size) return false;
        return true;
    }

    /** Pairs up two factor lists of equal product, cutting a leaf where the other side is finer. */
    private boolean alignFactors(List<Dim> fa, List<Dim> fb, String site) {
        Deque<Dim> qa = new ArrayDeque<>(fa), qb = new ArrayDeque<>(fb);
        while (!qa.isEmpty() && !qb.isEmpty()) {
            Dim x = find(qa.poll()), y = find(qb.poll());
            if (x.size == y.size) {
                unify(x, y, site);
            } else if (x.size > y.size) {
                Dim[] cut = cut(x, y.size);
                if (cut == null) return false;
                unify(cut[0], y, site);
                qa.push(cut[1]);
            } else {
                Dim[] cut = cut(y, x.size);
                if (cut == null) return false;
                unify(x, cut[0], site);
                qb.push(cut[1]);
            }
        }
        return qa.isEmpty() && qb.isEmpty();
    }

    /** Cuts leaf d into row-major factors (first of {@code head} indices, then the rest), or null if it cannot be. */
    private Dim[] cut(Dim d, int head) {
        Dim r = find(d);
        if (r.refinement != null || r.size % head != 0) return null;
        Dim a = create(head, r.role, r.origin + " [outer]"), b = create(r.size / head, r.role, r.origin + " [inner]");
        refine(r, Dim.Refinement.PRODUCT, List.of(a, b));
        return new Dim[] {a, b};
    }

    private void refine(Dim r, Dim.Refinement kind, List<Dim> parts) {
        r.refinement = kind;
        r.parts = List.copyOf(parts);
        for (Dim p : parts) {
            p.role = r.role;
            p.mixedRoles = r.mixedRoles;
            if (r.pin != null) p.pin = r.pin;
        }
    }

    private void link(Dim child, Dim root) {
        child.parent = root;
        if (child.role != root.role) root.mixedRoles = true;
        if (child.mixedRoles) root.mixedRoles = true;
        if (root.role == Dim.Role.POSITION) root.role = child.role == Dim.Role.CHANNEL ? Dim.Role.CHANNEL : root.role;
        if (root.pin == null) root.pin = child.pin;
        if (root.refinement == null && child.refinement != null) {
            root.refinement = child.refinement;
            root.parts = child.parts;
        }
        // Pins live on leaves: a pinned leaf joining a refined class pins the parts.
        if (root.refinement != null && root.pin != null) {
            String reason = root.pin;
            root.pin = null;
            pin(root, reason);
        }
    }

    /** The row-major factors of d: its leaves and concatenations, with size-1 factors left out. */
    public List<Dim> factors(Dim d) {
        List<Dim> out = new ArrayList<>();
        collectFactors(find(d), out);
        return out;
    }

    private void collectFactors(Dim r, List<Dim> out) {
        if (r.refinement == Dim.Refinement.PRODUCT) {
            for (Dim p : r.parts) collectFactors(find(p), out);
        } else if (r.size > 1) {
            out.add(r);
        }
    }

    /**
     * Re-cuts the row-major sequence of axes {@code source} into axes of {@code sizes} (a Reshape):
     * returns one Dim per target axis, made of the source factors it covers; a source factor that
     * straddles two target axes is cut. Null if the sizes do not line up (the caller pins).
     */
    public Dim[] regroup(List<Dim> source, int[] sizes, Dim.Role sizeOneRole, String site) {
        Deque<Dim> queue = new ArrayDeque<>();
        for (Dim s : source) queue.addAll(factors(s));
        Dim[] out = new Dim[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            long need = sizes[i];
            List<Dim> taken = new ArrayList<>();
            while (need > 1) {
                if (queue.isEmpty()) return null;
                Dim f = find(queue.poll());
                if (need % f.size == 0) {
                    taken.add(f);
                    need /= f.size;
                } else if (f.size % need == 0) {
                    Dim[] cut = cut(f, (int) need);
                    if (cut == null) return null;
                    taken.add(cut[0]);
                    queue.push(cut[1]);
                    need = 1;
                } else {
                    return null;
                }
            }
            out[i] = taken.isEmpty() ? create(1, sizeOneRole, site + " axis " + i) : compose(Dim.Refinement.PRODUCT, taken, site + " axis " + i);
        }
        return queue.isEmpty() ? out : null;
    }

    /** The distinct leaf classes that make up d (product factors and concatenated ranges, recursively). */
    public Set<Dim> leaves(Dim d) {
        Set<Dim> out = new LinkedHashSet<>();
        collectLeaves(find(d), out);
        return out;
    }

    private void collectLeaves(Dim r, Set<Dim> out) {
        if (r.refinement == null) {
            out.add(r);
            return;
        }
        for (Dim p : r.parts) collectLeaves(find(p), out);
    }

    /** Size of d when every leaf class L has {@code sizeOf(L)} indices (its current size if unchanged). */
    public int sizeWith(Dim d, java.util.function.ToIntFunction<Dim> leafSize) {
        Dim r = find(d);
        if (r.refinement == null) return leafSize.applyAsInt(r);
        long s = r.refinement == Dim.Refinement.PRODUCT ? 1 : 0;
        for (Dim p : r.parts) {
            int ps = sizeWith(p, leafSize);
            s = r.refinement == Dim.Refinement.PRODUCT ? s * ps : s + ps;
        }
        return Math.toIntExact(s);
    }

    /**
     * Which indices of d go when each leaf class L loses the indices flagged in
     * {@code removal.apply(L)} (a boolean[] over L's indices, or null if L keeps all): an index goes
     * if any of its coordinates goes. The result has d.size entries.
     */
    public boolean[] removedIndices(Dim d, java.util.function.Function<Dim, boolean[]> removal) {
        boolean[] out = new boolean[find(d).size];
        for (Dim leaf : leaves(d)) {
            boolean[] gone = removal.apply(leaf);
            if (gone == null) continue;
            int[] at = coordinates(d, leaf);
            for (int i = 0; i < out.length; i++) out[i] |= at[i] >= 0 && gone[at[i]];
        }
        return out;
    }

    /**
     * For every index of d, its coordinate in leaf class {@code leaf} (-1 if d does not contain it).
     * If the leaf occurs more than once along d, the last occurrence wins.
     */
    public int[] coordinates(Dim d, Dim leaf) {
        Dim r = find(d), target = find(leaf);
        int[] out = new int[r.size];
        if (r.refinement == null) {
            for (int i = 0; i < r.size; i++) out[i] = r == target ? i : -1;
            return out;
        }
        if (r.refinement == Dim.Refinement.SUM) {
            int at = 0;
            for (Dim p : r.parts) {
                int[] sub = coordinates(p, target);
                System.arraycopy(sub, 0, out, at, sub.length);
                at += sub.length;
            }
            return out;
        }
        java.util.Arrays.fill(out, -1);
        int n = r.parts.size();
        int[] inner = new int[n];
        int[][] sub = new int[n][];
        int acc = 1;
        for (int j = n - 1; j >= 0; j--) {
            sub[j] = coordinates(r.parts.get(j), target);
            inner[j] = acc;
            acc *= sub[j].length;
        }
        for (int flat = 0; flat < r.size; flat++) {
            for (int j = 0; j < n; j++) {
                int c = sub[j][(flat / inner[j]) % sub[j].length];
                if (c >= 0) out[flat] = c;
            }
        }
        return out;
    }
}
