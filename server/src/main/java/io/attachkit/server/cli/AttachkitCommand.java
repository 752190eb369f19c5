package io.attachkit.server.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code attachkit} command: stores, processes, lists, serves and cleans up attachments.
 *
 * <pre>{@code
 * attachkit store examples/files/*          # JSON array of stored attachments with extracted text
 * attachkit serve --port 8080               # the HTTP server over ./attachkit-data
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 when any item failed (or the store is unhealthy), 2 for usage errors.
 */
@Command(name = "attachkit", mixinStandardHelpOptions = true, version = "attachkit 0.1.0",
        description = "Store, process and serve chat and agent attachments.",
        subcommands = {StoreCommand.class, ProcessCommand.class, ReprocessCommand.class, GetCommand.class, LsCommand.class, RmCommand.class, HealthCommand.class,
                GcCommand.class, ServeCommand.class, KeysCommand.class, CommandLine.HelpCommand.class})
public final class AttachkitCommand implements Runnable {
    private final OutputStream binaryOut;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Creates the command writing binary output (from {@code get}) to standard output. */
    public AttachkitCommand() {
        this(System.out);
    }

    /**
     * @param binaryOut where {@code get} writes file bytes when no {@code -o} is given
     */
    public AttachkitCommand(OutputStream binaryOut) {
        this.binaryOut = binaryOut;
    }

    OutputStream binaryOut() {
        return binaryOut;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "attachkit-cli-logback.xml");
        }
        if (System.getProperty("org.jboss.logging.provider") == null) {
            // Undertow and XNIO log through JBoss Logging, which would pick the Log4j 2 API (on the class path for
            // Tika and POI) and reach logback through a second bridge: each of their many is-trace-enabled checks per
            // request then costs two bridges (6% of a served file's CPU); straight to SLF4J instead
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        int code = new CommandLine(new AttachkitCommand(new PrintStream(System.out, true))).execute(args);
        if (!ServeCommand.SERVING.get()) {
            System.exit(code);
        }
    }
}
