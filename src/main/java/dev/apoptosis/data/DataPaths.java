package dev.apoptosis.data;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Where datasets and decoded-image caches live.
 *
 * <p>The data root (read-only real datasets) is, in order: the system property
 * {@code apoptosis.data}, the environment variable {@code APOPTOSIS_DATA}, or
 * {@code <repo>/../shared/datasets}. The cache folder is {@code apoptosis.cache},
 * {@code APOPTOSIS_CACHE}, or {@code <repo>/data-cache} (git-ignored).
 *
 * <p>{@code <repo>} is found from where this class was loaded: {@code <repo>/target/classes} or
 * {@code <repo>/target/*.jar}, falling back to the working directory; so the defaults hold for the
 * launcher, for Maven tests and for a clean clone in any folder.
 */
public final class DataPaths {
    public static final String DATA_PROPERTY = "apoptosis.data";
    public static final String DATA_ENV = "APOPTOSIS_DATA";
    public static final String CACHE_PROPERTY = "apoptosis.cache";
    public static final String CACHE_ENV = "APOPTOSIS_CACHE";

    private DataPaths() {}

    /** The repository root this code runs from (see the class comment). */
    public static Path repoRoot() {
        try {
            CodeSource cs = DataPaths.class.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                Path p = Path.of(cs.getLocation().toURI()).toAbsolutePath().normalize();
                Path target = p.getParent(); // target/classes or target/x.jar -> target
                if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                        && target.getParent() != null) {
                    return target.getParent();
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // not loaded from a file location: use the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** The root folder of the shared real datasets. */
    public static Path dataRoot() {
        String v = setting(DATA_PROPERTY, DATA_ENV);
        return v != null ? Path.of(v).toAbsolutePath() : repoRoot().resolve("../shared/datasets").normalize();
    }

    /** The folder for decoded-image caches. */
    public static Path cacheDir() {
        String v = setting(CACHE_PROPERTY, CACHE_ENV);
        return v != null ? Path.of(v).toAbsolutePath() : repoRoot().resolve("data-cache");
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
