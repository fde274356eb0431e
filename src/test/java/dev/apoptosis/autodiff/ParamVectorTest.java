package dev.apoptosis.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.graph.Graph;
import dev.apoptosis.graph.GraphBuilder;
import dev.apoptosis.graph.Node;
import dev.apoptosis.graph.ops.BatchNorm2d;
import dev.apoptosis.graph.ops.Conv2d;
import dev.apoptosis.graph.ops.GlobalAvgPool;
import dev.apoptosis.graph.ops.Linear;
import dev.apoptosis.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The flat form, the in-place arithmetic and the named directions of ParamVector, against plain loops. */
class ParamVectorTest {
    private static Graph net() {
        GraphBuilder b = new GraphBuilder("pv", 3);
        Node x = b.input("x", 2, 4, 4);
        Node h = b.add("bn", new BatchNorm2d(), b.add("conv", Conv2d.of(3, 3, 1, 1, true), x));
        return b.build(b.add("fc", Linear.of(2), b.add("gap", new GlobalAvgPool(), h)));
    }

    @Test
    void flatFormRoundTripsInParameterOrder() {
        Graph g = net();
        ParamVector v = ParamVector.values(g, p -> true);
        float[] flat = v.toFloatArray();
        assertEquals(g.numParameters(), flat.length);
        assertEquals(flat.length, v.totalSize());
        int k = 0;
        for (var p : g.parameters()) for (int i = 0; i < p.size(); i++) assertEquals(p.value().at(i), flat[k++], 0, p.name());
        ParamVector back = ParamVector.fromArray(g, flat);
        assertArrayEquals(flat, back.toFloatArray(), 0);
        double[] d = v.toDoubleArray();
        for (int i = 0; i < d.length; i++) assertEquals(flat[i], d[i], 0);
        assertArrayEquals(flat, ParamVector.fromArray(g, d).toFloatArray(), 0);
        float[] withZeros = ParamVector.obaDirection(g).toFloatArray();
        int off = 0;
        for (var p : g.parameters()) {
            boolean layer = !p.name().startsWith("bn.");
            for (int i = 0; i < p.size(); i++) assertEquals(layer ? p.value().at(i) : 0f, withZeros[off++], 0, p.name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamVector.fromArray(g, new float[3]));
        assertTrue(e.getMessage().contains("has 3 values"), e.getMessage());
    }

    @Test
    void axpyScaleNormMatchLoops() {
        Graph g = net();
        ParamVector a = ParamVector.values(g, p -> true);
        ParamVector b = ParamVector.obaWeightsDirection(g);
        float[] fa = a.toFloatArray(), fb = b.toFloatArray();
        a.axpy(-0.75, b);
        float[] got = a.toFloatArray();
        for (int i = 0; i < fa.length; i++) assertEquals((float) (fa[i] - 0.75 * fb[i]), got[i], 0);
        ParamVector z = ParamVector.zeros(g).axpy(2, b);
        for (int i = 0; i < fb.length; i++) assertEquals((float) (2.0 * fb[i]), z.toFloatArray()[i], 0);
        b.copy().scale(3);
        assertArrayEquals(fb, b.toFloatArray(), 0, "scale of a copy leaves the original");
        float[] scaled = b.scale(-0.5).toFloatArray();
        double sq = 0;
        for (int i = 0; i < fb.length; i++) {
            assertEquals((float) (-0.5 * fb[i]), scaled[i], 0);
            sq += (double) scaled[i] * scaled[i];
        }
        assertEquals(Math.sqrt(sq), b.norm(), 1e-12 * Math.sqrt(sq));
    }

    @Test
    void weightsDirectionHoldsConvLinearWeightsOnly() {
        Graph g = net();
        ParamVector v = ParamVector.obaWeightsDirection(g);
        for (int i = 0; i < v.size(); i++) {
            String n = v.parameter(i).name();
            Tensor t = v.get(i);
            if (n.equals("conv.weight") || n.equals("fc.weight")) assertArrayEquals(g.parameter(n).value().toArray(), t.toArray(), 0);
            else assertNull(t, n);
        }
    }
}
