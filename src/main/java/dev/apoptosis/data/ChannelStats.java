package dev.apoptosis.data;

/**
 * Per-channel mean and standard deviation (population, i.e. divided by the count) of a dataset's
 * pixels as read, accumulated in double in sample order, for datasets without published constants.
 */
public record ChannelStats(float[] mean, float[] std) {

    public static ChannelStats of(Dataset ds) {
        int[] s = ds.sampleShape();
        int c = s[0], plane = s[1] * s[2];
        double[] sum = new double[c], sq = new double[c];
        float[] buf = new float[ds.sampleSize()];
        for (int i = 0; i < ds.size(); i++) {
            ds.read(i, buf, 0);
            for (int ch = 0; ch < c; ch++) {
                double a = 0, b = 0;
                for (int k = ch * plane, e = k + plane; k < e; k++) {
                    double v = buf[k];
                    a += v;
                    b += v * v;
                }
                sum[ch] += a;
                sq[ch] += b;
            }
        }
        double n = (double) ds.size() * plane;
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            mean[ch] = (float) m;
            std[ch] = (float) Math.sqrt(Math.max(0, sq[ch] / n - m * m));
        }
        return new ChannelStats(mean, std);
    }

    /** A normalisation by these statistics; a zero std (constant channel) is replaced by 1. */
    public Normalize normalize() {
        float[] s = std.clone();
        for (int i = 0; i < s.length; i++) if (!(s[i] > 0)) s[i] = 1f;
        return new Normalize(mean, s);
    }
}
