package dev.apoptosis.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attributes that define an op instance (kernel size, stride, number of output channels, ...):
 * an ordered map of names to int, int[], double, boolean or String values.
 *
 * <p>Attributes are what a checkpoint stores for an op and what pruning edits (an op rebuilt from
 * edited attributes has fewer channels). {@link OpRegistry} turns (kind, attrs) back into an op.
 */
public final class Attrs {
    private final Map<String, Object> values;

    private Attrs(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Attrs empty() {
        return new Attrs(new LinkedHashMap<>());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these attributes, to derive an edited copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalArgumentException("missing attribute '" + name + "' (have " + values.keySet() + ")");
        return v;
    }

    public int getInt(String name) {
        Object v = require(name);
        if (v instanceof Integer i) return i;
        throw new IllegalArgumentException("attribute '" + name + "' is " + describe(v) + ", expected int");
    }

    public int getInt(String name, int dflt) {
        return has(name) ? getInt(name) : dflt;
    }

    public int[] getInts(String name) {
        Object v = require(name);
        if (v instanceof int[] a) return a.clone();
        throw new IllegalArgumentException("attribute '" + name + "' is " + describe(v) + ", expected int[]");
    }

    public double getDouble(String name) {
        Object v = require(name);
        if (v instanceof Double d) return d;
        if (v instanceof Integer i) return i;
        throw new IllegalArgumentException("attribute '" + name + "' is " + describe(v) + ", expected double");
    }

    public double getDouble(String name, double dflt) {
        return has(name) ? getDouble(name) : dflt;
    }

    public boolean getBool(String name) {
        Object v = require(name);
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException("attribute '" + name + "' is " + describe(v) + ", expected boolean");
    }

    public boolean getBool(String name, boolean dflt) {
        return has(name) ? getBool(name) : dflt;
    }

    public String getString(String name) {
        Object v = require(name);
        if (v instanceof String s) return s;
        throw new IllegalArgumentException("attribute '" + name + "' is " + describe(v) + ", expected string");
    }

    private static String describe(Object v) {
        return v.getClass().getSimpleName() + " " + (v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attrs other) || other.values.size() != values.size()) return false;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object w = other.values.get(e.getKey());
            if (!Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {w})) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            h += e.getKey().hashCode() ^ Arrays.deepHashCode(new Object[] {e.getValue()});
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (sb.length() > 1) sb.append(", ");
            Object v = e.getValue();
            sb.append(e.getKey()).append('=').append(v instanceof int[] a ? Arrays.toString(a) : v);
        }
        return sb.append('}').toString();
    }

    /** Collects attributes in insertion order. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Builder put(String name, int v) {
            values.put(name, v);
            return this;
        }

        public Builder put(String name, int... v) {
            values.put(name, v.clone());
            return this;
        }

        public Builder put(String name, double v) {
            values.put(name, v);
            return this;
        }

        public Builder put(String name, boolean v) {
            values.put(name, v);
            return this;
        }

        public Builder put(String name, String v) {
            values.put(name, v);
            return this;
        }

        /** Puts a value of any supported type (Integer, int[], Double, Boolean, String). */
        public Builder putObject(String name, Object v) {
            if (!(v instanceof Integer || v instanceof int[] || v instanceof Double || v instanceof Boolean
                    || v instanceof String)) {
                throw new IllegalArgumentException("attribute '" + name + "': unsupported type " + v.getClass().getName());
            }
            values.put(name, v instanceof int[] a ? a.clone() : v);
            return this;
        }

        public Attrs build() {
            return new Attrs(new LinkedHashMap<>(values));
        }
    }
}
