package dev.apoptosis.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The per-core data cache sizes the kernels block for, read once from Linux's
 * {@code /sys/devices/system/cpu/cpu0/cache/index*} (level, type, size), so that blocking follows
 * the machine at hand instead of the one a constant was tuned on: a Zen 4 core has 32 KiB of L1d and
 * 1 MiB of L2, a recent Xeon core 48 KiB and 2 MiB. Where the files cannot be read (not Linux, a
 * container hiding them) the Zen 4 sizes stand in and {@link #describe()} says so.
 *
 * <p>Only loop blocking may depend on these sizes, never the order in which a sum is formed: results
 * are the same on every machine whatever is read here.
 */
public record CacheSizes(int l1dBytes, int l2Bytes, boolean measured) {
    /** What stands in where nothing is readable: one Zen 4 core. */
    public static final CacheSizes FALLBACK = new CacheSizes(32 << 10, 1 << 20, false);

    private static final CacheSizes THIS_MACHINE = read(Path.of("/sys/devices/system/cpu/cpu0/cache"));

    /** This machine's sizes (read once). */
    public static CacheSizes get() {
        return THIS_MACHINE;
    }

    /** Reads the {@code index*} entries under {@code dir}; {@link #FALLBACK} for whatever is missing. */
    static CacheSizes read(Path dir) {
        int l1 = 0, l2 = 0;
        try (var entries = Files.list(dir)) {
            for (Path index : (Iterable<Path>) entries.filter(p -> p.getFileName().toString().startsWith("index"))::iterator) {
                try {
                    String level = Files.readString(index.resolve("level")).strip();
                    String type = Files.readString(index.resolve("type")).strip();
                    int size = parseSize(Files.readString(index.resolve("size")));
                    if (level.equals("1") && type.equals("Data")) l1 = size;
                    if (level.equals("2") && !type.equals("Instruction")) l2 = size;
                } catch (IOException | IllegalArgumentException e) {
                    // an entry without the three files (or with a size in an unknown form) says nothing
                }
            }
        } catch (IOException | RuntimeException e) {
            return FALLBACK;
        }
        if (l1 <= 0 || l2 <= 0) return FALLBACK;
        return new CacheSizes(l1, l2, true);
    }

    /** A sysfs cache size: bytes with an optional K, M or G suffix ("48K", "2048K", "1M"). */
    static int parseSize(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) throw new IllegalArgumentException("empty cache size");
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1L;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        long bytes = Long.parseLong(digits) * unit;
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("cache size out of range: " + text);
        return (int) bytes;
    }

    /** For benchmark headers: "L1d 32 KiB, L2 1024 KiB" (and where they came from when not measured). */
    public String describe() {
        return String.format(Locale.ROOT, "L1d %d KiB, L2 %d KiB%s", l1dBytes >> 10, l2Bytes >> 10,
                measured ? "" : " (not readable here: Zen 4 sizes assumed)");
    }
}
