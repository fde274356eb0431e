package dev.apoptosis.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX's {@code ModelProto}: the IR version, the operator sets the graph's ops come from (domain →
 * version; "" is the default ONNX domain), the producer, the graph and the metadata properties
 * (free key/value text: this project writes the checkpoint's metadata there).
 *
 * <p>Field numbers (ONNX IR): ir_version 1, producer_name 2, producer_version 3, graph 7,
 * opset_import 8 (OperatorSetIdProto: domain 1, version 2), metadata_props 14 (StringStringEntryProto:
 * key 1, value 2).
 */
public record OnnxModel(long irVersion, String producerName, String producerVersion, Map<String, Long> opsets, OnnxGraph graph,
                        Map<String, String> metadata) {
    public OnnxModel {
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The version of the default ONNX operator set ("" or "ai.onnx"), or -1 if none is imported. */
    public long defaultOpset() {
        Long v = opsets.get("");
        if (v == null) v = opsets.get("ai.onnx");
        return v == null ? -1 : v;
    }

    static OnnxModel read(ProtoReader r) {
        long ir = 0;
        String producer = "", producerVersion = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        OnnxGraph graph = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> ir = r.int64();
                case 2 -> producer = r.string();
                case 3 -> producerVersion = r.string();
                case 7 -> graph = r.message("graph", OnnxGraph::read);
                case 8 -> {
                    String[] domain = {""};
                    long[] version = {0};
                    r.message("opset_import", o -> {
                        while (o.next()) {
                            switch (o.field()) {
                                case 1 -> domain[0] = o.string();
                                case 2 -> version[0] = o.int64();
                                default -> o.skip();
                            }
                        }
                        return null;
                    });
                    opsets.put(domain[0], version[0]);
                }
                case 14 -> {
                    String[] kv = {"", ""};
                    r.message("metadata_props", e -> {
                        while (e.next()) {
                            switch (e.field()) {
                                case 1 -> kv[0] = e.string();
                                case 2 -> kv[1] = e.string();
                                default -> e.skip();
                            }
                        }
                        return null;
                    });
                    meta.put(kv[0], kv[1]);
                }
                default -> r.skip();
            }
        }
        if (graph == null) throw r.error("the model has no graph (not an ONNX model?)");
        return new OnnxModel(ir, producer, producerVersion, opsets, graph, meta);
    }

    byte[] toBytes() {
        return ProtoWriter.serialize(w -> {
            w.int64(1, irVersion).string(2, producerName).string(3, producerVersion);
            w.message(7, graph::write);
            for (Map.Entry<String, Long> e : opsets.entrySet()) {
                w.message(8, o -> {
                    if (!e.getKey().isEmpty()) o.string(1, e.getKey());
                    o.int64(2, e.getValue());
                });
            }
            for (Map.Entry<String, String> e : metadata.entrySet()) w.message(14, m -> m.string(1, e.getKey()).string(2, e.getValue()));
        });
    }

    static OnnxModel fromBytes(byte[] bytes) {
        return ProtoReader.parse(bytes, "ModelProto", OnnxModel::read);
    }
}
