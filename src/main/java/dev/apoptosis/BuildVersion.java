package dev.apoptosis;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of this build of Apoptosis, as the pom declares it (e.g. {@code 0.1.0-SNAPSHOT}):
 * what checkpoints record as the tool that wrote them and what {@code ./apoptosis --version}
 * prints.
 *
 * <p>Maven writes it into the resource {@code dev/apoptosis/apoptosis-version.properties} when it
 * copies resources (every {@code mvn compile}, {@code test} or {@code package}), so classes built
 * by Maven, in {@code target/classes} or the jar, know their version. Classes compiled some other
 * way (an IDE that does not filter resources) find the file missing or its placeholder unfilled;
 * they report {@link #UNKNOWN}, {@code "dev"}, rather than a version they cannot vouch for.
 */
public final class BuildVersion {
    /** The version reported when the build did not record one. */
    public static final String UNKNOWN = "dev";

    static final String RESOURCE = "apoptosis-version.properties";

    private static final String VERSION = read();

    private BuildVersion() {}

    /** This build's version, or {@link #UNKNOWN}. */
    public static String version() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            return parse(in);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /** The {@code version} entry of a properties stream; {@link #UNKNOWN} if absent, blank or unfiltered. */
    static String parse(InputStream in) throws IOException {
        if (in == null) return UNKNOWN;
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "").strip();
        return v.isEmpty() || v.contains("${") ? UNKNOWN : v;
    }
}
