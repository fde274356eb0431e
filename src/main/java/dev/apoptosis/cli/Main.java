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
                ImportCommand.class, ExportCommand.class, ReportCommand.class, DemoCommand.class, BenchCommand.class, FuzzCommand.class})
public final class Main implements Runnable {

    /** From {@code --threads}; applied only while the command runs (see {@link #newCommandLine}). */
    private Integer threads;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: cores, or APOPTOSIS_THREADS).",
            scope = CommandLine.ScopeType.INHERIT)
    void setThreads(String n) {
        try {
            threads = Parallel.parseThreads(n, "--threads");
        } catch (IllegalArgumentException e) {
            // A ParameterException is reported as the user's mistake; anything else would show picocli's reflection wrapper.
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
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
            int before;
            try {
                before = Parallel.threads(); // reads APOPTOSIS_THREADS: a bad value is reported here, as an error
            } catch (IllegalArgumentException e) {
                cl.getErr().println("error: " + Terminal.safe(e.getMessage()));
                return 2;
            }
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
                cmd.getErr().println("error: " + Terminal.safe(ex.getMessage())); // messages quote file contents
                return 2;
            }
            throw ex;
        });
        return cl;
    }
}
