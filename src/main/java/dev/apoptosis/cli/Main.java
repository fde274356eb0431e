package dev.apoptosis.cli;

import dev.apoptosis.BuildVersion;
import dev.apoptosis.tensor.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the {@code ./apoptosis} launcher. */
@Command(name = "apoptosis", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Prune neural networks with Optimal Brain Apoptosis and other second-order criteria.",
        subcommands = {TrainCommand.class, EvalCommand.class, InfoCommand.class, GroupsCommand.class, PruneCommand.class,
                ImportCommand.class, ExportCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    /** From {@code --threads}; applied only while the command runs (see {@link #newCommandLine}). */
    private Integer threads;

    @Option(names = "--threads", description = "Kernel threads (default: cores, or APOPTOSIS_THREADS).",
            scope = CommandLine.ScopeType.INHERIT)
    void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + n);
        threads = n;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code --version}: the build's version (see {@link BuildVersion}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"apoptosis " + BuildVersion.version()};
        }
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests use it to run commands in-process. */
    public static CommandLine newCommandLine() {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        // --threads sets the kernel pool's size for this command only: in-process callers (tests, Java
        // users running commands) get their own setting back afterwards, whatever the outcome.
        cl.setExecutionStrategy(parsed -> {
            int before = Parallel.threads();
            if (main.threads != null) Parallel.setThreads(main.threads);
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                Parallel.setThreads(before);
            }
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                    || ex instanceof IllegalStateException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }
}
