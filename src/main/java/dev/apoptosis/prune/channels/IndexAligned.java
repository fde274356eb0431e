package dev.apoptosis.prune.channels;

/**
 * Output element i of every axis is input element i (ReLU, GELU, Dropout, Scale, BatchNorm, Add,
 * PositionalEmbedding): every input's axes are unified with the first input's, and the output has
 * the same Dims. Parameters align with the output's leading axes (BatchNorm's [C]) or trailing axes
 * (a position embedding's [T, D]).
 */
final class IndexAligned implements ChannelRule {
    private final boolean leadingParams;

    IndexAligned(boolean leadingParams) {
        this.leadingParams = leadingParams;
    }

    @Override
    public NodeLayout apply(Site s) {
        Dim[] first = s.input(0);
        for (int i = 1; i < s.inputs().size(); i++) {
            Dim[] other = s.input(i);
            for (int a = 0; a < first.length; a++) s.dims().unify(first[a], other[a], s.name());
        }
        Dim[] out = first.clone();
        return NodeLayout.of(out).withParams(s.alignParams(out, leadingParams));
    }
}
