package dev.apoptosis.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code --data SPEC} option: which dataset to train and test on, with default transforms.
 *
 * <table>
 * <caption>Specs</caption>
 * <tr><th>spec</th><th>data</th><th>train augmentation</th><th>normalisation</th></tr>
 * <tr><td>{@code digits}</td><td>{@code <root>/digits/digits.csv.gz}, 8x8 grey; no official split, so a
 *   fixed seeded split: the last {@value #DIGITS_TEST_SIZE} samples of a permutation drawn with seed
 *   {@value #DIGITS_SPLIT_SEED} are the test set (1497 train / 300 test), each part in file order</td>
 *   <td>none</td><td>mean/std of the training part</td></tr>
 * <tr><td>{@code digits-bundled}</td><td>the same file, bundled in the jar ({@value #BUNDLED_DIGITS}, with
 *   its licence note beside it): what {@code demo} uses, so it needs nothing downloaded</td><td>none</td>
 *   <td>as digits</td></tr>
 * <tr><td>{@code mnist}</td><td>{@code <root>/mnist/} IDX</td><td>none</td><td>0.1307 / 0.3081</td></tr>
 * <tr><td>{@code fashion-mnist}</td><td>{@code <root>/fashion-mnist/} IDX</td><td>none</td><td>0.2860 / 0.3530</td></tr>
 * <tr><td>{@code cifar10}</td><td>{@code <root>/cifar10-jpeg.tar.gz} (JPEG image folders, decoded once
 *   into the cache folder)</td><td>random crop 32 with padding 4, horizontal flip</td>
 *   <td>CIFAR-10 channel mean/std</td></tr>
 * <tr><td>{@code cifar10-bin:DIR}</td><td>official CIFAR-10 binary batches</td><td>as cifar10</td><td>as cifar10</td></tr>
 * <tr><td>{@code cifar100-bin:DIR}</td><td>official CIFAR-100 binary, fine labels</td><td>as cifar10</td>
 *   <td>CIFAR-100 channel mean/std</td></tr>
 * <tr><td>{@code idx:DIR}</td><td>{@code train-*} and {@code t10k-*} IDX files</td><td>none</td>
 *   <td>mean/std of the training split</td></tr>
 * <tr><td>{@code folder:DIR}</td><td>image folders {@code DIR/train/<class>/*} and {@code DIR/test/<class>/*}
 *   (cached)</td><td>horizontal flip, and for square images a random crop of the same size with
 *   padding size/8</td><td>mean/std of the training split</td></tr>
 * </table>
 *
 * <p>{@code <root>} is {@link DataPaths#dataRoot()}; a relative {@code DIR} is relative to the
 * working directory.
 */
public final class DataSpec {
    public static final long DIGITS_SPLIT_SEED = 20250101L;
    public static final int DIGITS_TEST_SIZE = 300;

    /** The dataset families. */
    public enum Kind { DIGITS, DIGITS_BUNDLED, MNIST, FASHION_MNIST, CIFAR10, CIFAR10_BIN, CIFAR100_BIN, IDX, FOLDER }

    /** Where the bundled copy of the digits lives on the class path. */
    public static final String BUNDLED_DIGITS = "/dev/apoptosis/data/digits.csv.gz";

    private static final List<String> FORMS = List.of("digits", "digits-bundled", "mnist", "fashion-mnist", "cifar10",
            "cifar10-bin:DIR", "cifar100-bin:DIR", "idx:DIR", "folder:DIR");

    private static final float[] MNIST_MEAN = {0.1307f}, MNIST_STD = {0.3081f};
    private static final float[] FASHION_MEAN = {0.2860f}, FASHION_STD = {0.3530f};
    private static final float[] CIFAR10_MEAN = {0.4914f, 0.4822f, 0.4465f}, CIFAR10_STD = {0.2470f, 0.2435f, 0.2616f};
    private static final float[] CIFAR100_MEAN = {0.5071f, 0.4865f, 0.4409f}, CIFAR100_STD = {0.2673f, 0.2564f, 0.2762f};

    /** Fashion-MNIST's class names, in label order. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> DIGIT_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final String text;
    private final Kind kind;
    private final Path dir;

    private DataSpec(String text, Kind kind, Path dir) {
        this.text = text;
        this.kind = kind;
        this.dir = dir;
    }

    /** The valid spec forms, for help texts and errors. */
    public static List<String> validForms() {
        return FORMS;
    }

    /** Parses a spec; throws {@link IllegalArgumentException} listing the valid forms if it is not one. */
    public static DataSpec parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        int colon = s.indexOf(':');
        String head = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        Kind kind = switch (head) {
            case "digits" -> Kind.DIGITS;
            case "digits-bundled" -> Kind.DIGITS_BUNDLED;
            case "mnist" -> Kind.MNIST;
            case "fashion-mnist" -> Kind.FASHION_MNIST;
            case "cifar10" -> Kind.CIFAR10;
            case "cifar10-bin" -> Kind.CIFAR10_BIN;
            case "cifar100-bin" -> Kind.CIFAR100_BIN;
            case "idx" -> Kind.IDX;
            case "folder" -> Kind.FOLDER;
            default -> throw unknown(spec, "unknown dataset '" + head + "'");
        };
        boolean needsDir = kind == Kind.CIFAR10_BIN || kind == Kind.CIFAR100_BIN || kind == Kind.IDX || kind == Kind.FOLDER;
        if (needsDir && (arg == null || arg.isBlank())) throw unknown(spec, "'" + head + "' needs a directory: " + head + ":DIR");
        if (!needsDir && arg != null) throw unknown(spec, "'" + head + "' takes no argument");
        return new DataSpec(s, kind, needsDir ? Path.of(arg.trim()) : null);
    }

    private static IllegalArgumentException unknown(String spec, String why) {
        return new IllegalArgumentException("--data '" + spec + "': " + why + "; valid forms: " + String.join(", ", FORMS));
    }

    public Kind kind() {
        return kind;
    }

    /** The DIR argument, or null for the named shared datasets. */
    public Path dir() {
        return dir;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Loads with {@link DataPaths#dataRoot()} and {@link DataPaths#cacheDir()}. */
    public DataSplits load() throws IOException {
        return load(DataPaths.dataRoot(), DataPaths.cacheDir());
    }

    /**
     * Loads both splits.
     *
     * @param dataRoot where the named datasets (digits, mnist, fashion-mnist, cifar10) live
     * @param cacheDir where decoded image folders are cached (null: no cache)
     */
    public DataSplits load(Path dataRoot, Path cacheDir) throws IOException {
        return switch (kind) {
            case DIGITS -> digits(dataRoot.resolve("digits").resolve("digits.csv.gz"));
            case DIGITS_BUNDLED -> bundledDigits();
            case MNIST -> idx(requireDir(dataRoot.resolve("mnist"), "MNIST"), "mnist", 10, DIGIT_NAMES,
                    new Normalize(MNIST_MEAN, MNIST_STD));
            case FASHION_MNIST -> idx(requireDir(dataRoot.resolve("fashion-mnist"), "Fashion-MNIST"), "fashion-mnist", 10,
                    FASHION_CLASSES, new Normalize(FASHION_MEAN, FASHION_STD));
            case IDX -> idx(dir, "idx", 0, List.of(), null);
            case CIFAR10 -> cifar10Jpeg(dataRoot.resolve("cifar10-jpeg.tar.gz"), cacheDir);
            case CIFAR10_BIN -> cifar(CifarBinary.loadCifar10(dir, true), CifarBinary.loadCifar10(dir, false),
                    "cifar10-bin", new Normalize(CIFAR10_MEAN, CIFAR10_STD));
            case CIFAR100_BIN -> cifar(CifarBinary.loadCifar100(dir, true, CifarBinary.Cifar100Label.FINE),
                    CifarBinary.loadCifar100(dir, false, CifarBinary.Cifar100Label.FINE),
                    "cifar100-bin", new Normalize(CIFAR100_MEAN, CIFAR100_STD));
            case FOLDER -> folder(cacheDir);
        };
    }

    private static Path requireDir(Path d, String what) throws DatasetException {
        if (!Files.isDirectory(d)) {
            throw new DatasetException(d, what + " folder not found (set " + DataPaths.DATA_ENV + " to the datasets root)");
        }
        return d;
    }

    private static DataSplits digits(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DatasetException(file, "digits file not found (set " + DataPaths.DATA_ENV + " to the datasets root)");
        }
        return digits(DigitsCsv.load(file, "digits"));
    }

    /** The copy of the digits in the jar: the same samples, split and normalisation as {@code digits}. */
    public static DataSplits bundledDigits() throws IOException {
        java.io.InputStream raw = DataSpec.class.getResourceAsStream(BUNDLED_DIGITS);
        if (raw == null) throw new DatasetException(Path.of(BUNDLED_DIGITS), "not on the class path (a jar built without its resources?)");
        return digits(DigitsCsv.load(new java.util.zip.GZIPInputStream(raw), Path.of("jar:" + BUNDLED_DIGITS), "digits"));
    }

    private static DataSplits digits(ByteImageDataset all) {
        int[][] split = digitsSplit(all.size());
        Dataset train = new SubsetDataset("digits/train", all, split[0]);
        Dataset test = new SubsetDataset("digits/test", all, split[1]);
        Normalize norm = ChannelStats.of(train).normalize();
        return new DataSplits("digits", train, test, norm, norm);
    }

    /** The fixed digits split of {@code n} samples: {train indices, test indices}, each sorted. */
    public static int[][] digitsSplit(int n) {
        if (n <= DIGITS_TEST_SIZE) {
            throw new IllegalArgumentException("digits: " + n + " samples, need more than " + DIGITS_TEST_SIZE + " to split");
        }
        int[] perm = Seeds.permutation(n, new SplittableRandom(DIGITS_SPLIT_SEED));
        int[] train = Arrays.copyOfRange(perm, 0, n - DIGITS_TEST_SIZE);
        int[] test = Arrays.copyOfRange(perm, n - DIGITS_TEST_SIZE, n);
        Arrays.sort(train);
        Arrays.sort(test);
        return new int[][] {train, test};
    }

    private static DataSplits idx(Path d, String name, int classes, List<String> names, Normalize norm) throws IOException {
        ByteImageDataset train = IdxFiles.loadSplit(d, "train", name + "/train", classes, names);
        ByteImageDataset test = IdxFiles.loadSplit(d, "t10k", name + "/test", train.numClasses(), names);
        if (!Arrays.equals(train.sampleShape(), test.sampleShape())) {
            Path testImages = DataFiles.firstExisting(d, "t10k images", IdxFiles.candidates("t10k", "images"));
            throw new DatasetException(testImages, "images are " + Arrays.toString(test.sampleShape()) + " but the training images "
                    + DataFiles.firstExisting(d, "train images", IdxFiles.candidates("train", "images")).getFileName() + " are "
                    + Arrays.toString(train.sampleShape()));
        }
        Normalize n = norm != null ? norm : ChannelStats.of(train).normalize();
        return new DataSplits(name, train, test, n, n);
    }

    private static DataSplits cifar(Dataset train, Dataset test, String name, Normalize norm) {
        Transform aug = Compose.of(new RandomCrop(32, 4), new HorizontalFlip(0.5), norm);
        return new DataSplits(name, train, test, aug, norm);
    }

    private static DataSplits cifar10Jpeg(Path archive, Path cacheDir) throws IOException {
        if (!Files.exists(archive)) { // present but not a regular file: refused by name when opened
            throw new DatasetException(archive, "CIFAR-10 JPEG archive not found (set " + DataPaths.DATA_ENV
                    + " to the datasets root, or use cifar10-bin:DIR)");
        }
        ByteImageDataset train = ImageFolder.loadTar(archive, "cifar10/train", cacheDir, "cifar10/train").dataset();
        ByteImageDataset test = ImageFolder.loadTar(archive, "cifar10/test", cacheDir, "cifar10/test").dataset();
        requireSameClasses(train, test, archive.toString());
        if (!Arrays.equals(train.sampleShape(), new int[] {3, 32, 32})) {
            throw new DatasetException(archive, "CIFAR-10 images are " + Arrays.toString(train.sampleShape()) + ", expected [3, 32, 32]");
        }
        return cifar(train, test, "cifar10", new Normalize(CIFAR10_MEAN, CIFAR10_STD));
    }

    private DataSplits folder(Path cacheDir) throws IOException {
        DataFiles.requireDirectory(dir, "image folder dataset");
        ByteImageDataset train = ImageFolder.loadFolder(dir.resolve("train"), cacheDir, "folder-train").dataset();
        ByteImageDataset test = ImageFolder.loadFolder(dir.resolve("test"), cacheDir, "folder-test").dataset();
        requireSameClasses(train, test, dir.toString());
        if (!Arrays.equals(train.sampleShape(), test.sampleShape())) {
            throw new DatasetException(dir, "train images are " + Arrays.toString(train.sampleShape()) + " but test images are "
                    + Arrays.toString(test.sampleShape()));
        }
        Normalize norm = ChannelStats.of(train).normalize();
        int h = train.sampleShape()[1], w = train.sampleShape()[2];
        Transform aug = h == w
                ? Compose.of(new RandomCrop(h, Math.max(1, h / 8)), new HorizontalFlip(0.5), norm)
                : Compose.of(new HorizontalFlip(0.5), norm);
        return new DataSplits("folder:" + dir, train, test, aug, norm);
    }

    private static void requireSameClasses(Dataset train, Dataset test, String where) throws DatasetException {
        if (!train.classNames().equals(test.classNames())) {
            throw new DatasetException(where + ": train classes " + train.classNames() + " differ from test classes "
                    + test.classNames());
        }
    }
}
