package dev.apoptosis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU's model name as the OS reports it, so every printed figure names the machine it was measured on. */
public final class CpuModel {
    private CpuModel() {}

    /** Linux's "model name" of the first CPU and the number of CPUs the JVM may use; else the architecture. */
    public static String name() {
        String model = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            model = null;      // not Linux, or not readable: say what the JVM knows
        }
        return (model == null ? System.getProperty("os.arch") + " (model not readable)" : model) + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs";
    }
}
