package dev.apoptosis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apoptosis.testing.Fixtures;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * JPEG decoding matches PIL's {@code Image.open(..).convert("RGB")} (torchvision's default loader)
 * exactly, and ToTensor + Normalize matches torchvision bit for bit. Fixture:
 * {@code tools/fixtures/data_jpeg_pil.py}.
 */
class JpegDecodeParityTest {
    private static final Fixtures FX = Fixtures.load("data/jpeg_pil.txt");

    private static byte[] jpeg(String name) {
        double[] v = FX.array("jpeg_" + name).values();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) (int) v[i];
        return b;
    }

    private static ByteImageDataset decode(String name) throws DatasetException {
        Fixtures.Array expected = FX.array("rgb_" + name);
        int[] shape = expected.shape();
        byte[] px = new byte[shape[0] * shape[1] * shape[2]];
        try (ImageDecoder d = new ImageDecoder()) {
            ImageDecoder.Size s = d.decodeRgb(jpeg(name), name, px, 0, shape[2], shape[1]);
            assertEquals(shape[2], s.width());
            assertEquals(shape[1], s.height());
        }
        return new ByteImageDataset(name, px, new int[] {0}, shape, 1, List.of(), 255);
    }

    private static void assertDecodesLikePil(String name) throws DatasetException {
        ByteImageDataset ds = decode(name);
        double[] expected = FX.array("rgb_" + name).values();
        for (int k = 0; k < expected.length; k++) {
            assertEquals((int) expected[k], ds.rawPixel(0, k), name + ": value " + k);
        }
    }

    @Test
    void subsampledRgbLikeCifar() throws DatasetException {
        assertDecodesLikePil("rgb420");
    }

    @Test
    void fullChromaRgb() throws DatasetException {
        assertDecodesLikePil("rgb444");
    }

    @Test
    void greyJpegIsReplicated() throws DatasetException {
        assertDecodesLikePil("grey");
    }

    @Test
    void toTensorAndNormalizeMatchTorchvisionBitForBit() throws DatasetException {
        ByteImageDataset ds = decode("rgb420");
        float[] raw = new float[ds.sampleSize()], out = new float[ds.sampleSize()];
        ds.read(0, raw, 0);
        new Normalize(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f})
                .apply(raw, 0, ds.sampleShape(), out, 0, new SplittableRandom(0));
        double[] expected = FX.array("norm_rgb420").values();
        float[] e = new float[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = (float) expected[i];
        assertArrayEquals(e, out);
    }
}
