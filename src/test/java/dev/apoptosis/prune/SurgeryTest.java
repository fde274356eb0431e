package dev.apoptosis.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.models.ModelOptions;
import dev.apoptosis.models.ModelZoo;
import dev.apoptosis.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Surgery bookkeeping: the record, momentum slicing, bad requests, and the source graph left alone. */
class SurgeryTest {
    private static Graph lenet() {
        return ModelZoo.build("lenet5", ModelOptions.defaults().withClasses(10).withInput(1, 28, 28).withSeed(3));
    }

    @Test
    void recordsWhatWentAndSlicesMomentumLikeTheWeights() {
        Graph g = lenet();
        DependencyGroups gs = DependencyGroups.of(g);
        Group first = gs.prunable().get(0);
        Member producer = first.members().get(0);
        String wname = producer.node() + "." + producer.tensor();
        Tensor before = g.parameter(wname).value().copy();
        Surgery.Result r = Surgery.remove(gs, Map.of(first, new int[] {4, 1}));
        PruneRecord rec = r.record();
        assertEquals(1, rec.removals().size());
        assertArrayEquals(new int[] {1, 4}, rec.removals().get(0).removed());
        assertEquals(g.macs(), rec.before().macs());
        assertEquals(r.graph().macs(), rec.after().macs());
        assertTrue(rec.after().macs() < rec.before().macs());
        assertEquals(rec.toJson(), PruneRecord.fromJson(rec.toJson()).toJson(), "the record survives JSON");

        // A momentum buffer equal to the weights is cut exactly like them.
        Map<String, Tensor> momentum = r.slice(Map.of(wname, before));
        Tensor cut = momentum.get(wname);
        Tensor w = r.graph().parameter(wname).value();
        assertArrayEquals(w.shape(), cut.shape());
        for (int i = 0; i < w.size(); i++) assertEquals(w.at(i), cut.at(i));
        assertArrayEquals(before.toArray(), g.parameter(wname).value().toArray(), "the source graph is untouched");

        r.graph().parameter(wname).value().fill(7f);
        assertArrayEquals(before.toArray(), g.parameter(wname).value().toArray(), "the smaller graph shares no storage");
    }

    @Test
    void refusesEveryChannelDuplicatesAndOutOfRange() {
        Graph g = lenet();
        DependencyGroups gs = DependencyGroups.of(g);
        Group grp = gs.prunable().get(0);
        int[] all = new int[grp.channels()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        assertThrows(IllegalArgumentException.class, () -> Surgery.remove(gs, Map.of(grp, all)));
        assertThrows(IllegalArgumentException.class, () -> Surgery.remove(gs, Map.of(grp, new int[] {1, 1})));
        assertThrows(IllegalArgumentException.class, () -> Surgery.remove(gs, Map.of(grp, new int[] {grp.channels()})));
        Group foreign = DependencyGroups.of(lenet()).prunable().get(0);
        assertThrows(IllegalArgumentException.class, () -> Surgery.remove(gs, Map.of(foreign, new int[] {0})));
    }
}
