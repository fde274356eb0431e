package dev.apoptosis.cluster;

import dev.apoptosis.data.DataSpec;
import java.nio.file.Path;

/**
 * A data spec as the executors must see it: a folder given relative to the driver's working folder
 * would be looked up relative to each executor's (a standalone worker runs its executors in its own
 * work folder), so it is made absolute here, before it is shipped. Named datasets and the bundled
 * digits are left as they are (each executor resolves them against its own data root).
 */
final class SharedData {
    private SharedData() {}

    static String spec(String spec) {
        DataSpec d = DataSpec.parse(spec);
        if (d.dir() == null || d.dir().isAbsolute()) return spec;
        String head = spec.trim().substring(0, spec.trim().indexOf(':'));
        return head + ":" + Path.of("").toAbsolutePath().resolve(d.dir()).normalize();
    }
}
